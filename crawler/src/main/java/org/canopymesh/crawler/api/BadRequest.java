package org.canopymesh.crawler.api;

import jakarta.ws.rs.WebApplicationException;

/** A request the API cannot serve as asked; its message goes back to the client. */
final class BadRequest extends WebApplicationException {
  private static final long serialVersionUID = 1L;

  BadRequest(String message) {
    super(message, ErrorMappers.json(400, new ApiError(message)));
  }
}
