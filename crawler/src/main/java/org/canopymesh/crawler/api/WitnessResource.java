package org.canopymesh.crawler.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.canopymesh.crawler.mirror.Witness;
import org.canopymesh.crawler.mirror.WitnessException;

/** {@code POST /api/v1/witness/add-checkpoint}, as c2sp.org/tlog-witness has it. */
@Path("/api/v1/witness/add-checkpoint")
public class WitnessResource {
  @Inject Witness witness;

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response addCheckpoint(byte[] body) {
    try {
      return Response.ok(witness.addCheckpoint(body), "text/plain; charset=utf-8").build();
    } catch (WitnessException e) {
      if (e.size() != null) {
        return Response.status(409).type("text/x.tlog.size").entity(e.size() + "\n").build();
      }
      return ErrorMappers.json(e.status().code(), new ApiError(e.getMessage()));
    }
  }
}
