package org.canopymesh.map.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.canopymesh.map.report.ReportRejected;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as JSON with its status; internals stay in the log, never in the answer. */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    if (e.getResponse().hasEntity()) {
      return e.getResponse();
    }
    int status = e.getResponse().getStatus();
    String message =
        status == 404 ? "not found" : status == 405 ? "method not allowed" : reason(status);
    return json(status, new ApiError(message, status == 404 ? "not-found" : "http-" + status));
  }

  @ServerExceptionMapper
  public Response rejected(ReportRejected e) {
    Response.ResponseBuilder r =
        Response.status(e.status())
            .type(MediaType.APPLICATION_JSON)
            .entity(new ApiError(e.getMessage(), e.code()));
    if (e.status() == 429) {
      r.header("Retry-After", "5");
    }
    return r.build();
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    LOG.error("request failed", e);
    return json(500, new ApiError("internal error", "internal"));
  }

  static Response json(int status, Object body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
  }

  private static String reason(int status) {
    Response.Status s = Response.Status.fromStatusCode(status);
    return s == null ? "error " + status : s.getReasonPhrase().toLowerCase(java.util.Locale.ROOT);
  }
}
