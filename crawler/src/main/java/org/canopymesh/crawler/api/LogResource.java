package org.canopymesh.crawler.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.canopymesh.crawler.config.MirrorConfig;
import org.canopymesh.crawler.log.LogStore;
import org.canopymesh.crawler.log.LogWriter;
import org.canopymesh.naming.note.StrictBase64;

/** The log itself: its checkpoint, its entries, and proofs between its trees. */
@Path("/api/v1/log")
public class LogResource {
  @Inject LogWriter writer;
  @Inject LogStore store;
  @Inject MirrorConfig config;

  /** An RFC 9162 proof, each hash in base64. */
  public record Proof(List<String> proof) {
    static Proof of(List<byte[]> hashes) {
      return new Proof(hashes.stream().map(StrictBase64::encode).toList());
    }
  }

  @GET
  @Path("/checkpoint")
  @Produces(MediaType.TEXT_PLAIN)
  public String checkpoint() {
    return store.served(writer.checkpoint());
  }

  @GET
  @Path("/entries")
  @Produces(MediaType.APPLICATION_JSON)
  public List<String> entries(@QueryParam("start") Long start, @QueryParam("end") Long end) {
    long size = writer.size();
    require(start != null && end != null, "start and end are required");
    require(start >= 0 && start < end, "start must be at least 0 and below end");
    require(start < size, "start is past the log's " + size + " entries");
    // A page is short when it would pass the end of the log or the page size.
    long last = Math.min(Math.min(end, size), start + config.pageSize());
    return store.entries(start, last).stream()
        .map(e -> new String(e, StandardCharsets.UTF_8))
        .toList();
  }

  @GET
  @Path("/proof/inclusion")
  @Produces(MediaType.APPLICATION_JSON)
  public Proof inclusion(@QueryParam("index") Long index, @QueryParam("size") Long size) {
    long committed = writer.size();
    require(index != null && size != null, "index and size are required");
    require(size <= committed, "the log has " + committed + " entries, not " + size);
    require(index >= 0 && index < size, "index must be at least 0 and below size");
    return Proof.of(store.inclusion(index, size, committed));
  }

  @GET
  @Path("/proof/consistency")
  @Produces(MediaType.APPLICATION_JSON)
  public Proof consistency(@QueryParam("from") Long from, @QueryParam("to") Long to) {
    long committed = writer.size();
    require(from != null && to != null, "from and to are required");
    require(to <= committed, "the log has " + committed + " entries, not " + to);
    require(from >= 0 && from <= to, "from must be at least 0 and at most to");
    return Proof.of(store.consistency(from, to, committed));
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new BadRequest(message);
    }
  }
}
