package org.canopymesh.map.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A request the API cannot answer as asked; the message says what was wrong. */
final class BadRequest extends WebApplicationException {
  private static final long serialVersionUID = 1L;

  BadRequest(String message, String code) {
    super(
        message,
        Response.status(400)
            .type(MediaType.APPLICATION_JSON)
            .entity(new ApiError(message, code))
            .build());
  }
}
