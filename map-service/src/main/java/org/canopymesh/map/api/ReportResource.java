package org.canopymesh.map.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.canopymesh.map.report.ReportIntake;

/** Where agents send their signed {@code canopy-report/v1} notes. */
@Path("/api/v1/reports")
public class ReportResource {
  @Inject ReportIntake intake;

  /** The answer to an accepted report. */
  public record Receipt(String key, String seq) {}

  /**
   * Accepts a report: 202; 400 malformed, stale or replayed; 403 not signed by its key; 413 too
   * large; 429 too many from its key.
   */
  @POST
  @Consumes({MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM, MediaType.WILDCARD})
  @Produces(MediaType.APPLICATION_JSON)
  public Response submit(byte[] body) {
    ReportIntake.Accepted a = intake.accept(body == null ? new byte[0] : body);
    return Response.accepted(new Receipt(a.key(), Long.toUnsignedString(a.seq()))).build();
  }
}
