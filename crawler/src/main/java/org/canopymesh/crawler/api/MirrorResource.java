package org.canopymesh.crawler.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.canopymesh.crawler.log.LogIdentity;
import org.canopymesh.crawler.log.LogWriter;
import org.canopymesh.crawler.mirror.Evidence;
import org.canopymesh.crawler.mirror.PeerState;
import org.canopymesh.crawler.mirror.PeerStore;
import org.canopymesh.crawler.mirror.Peers;

/**
 * {@code GET /api/v1/mirror}: who this mirror is, how its peers stand, what they were caught at.
 */
@Path("/api/v1/mirror")
public class MirrorResource {
  @Inject LogIdentity identity;
  @Inject LogWriter writer;
  @Inject Peers peers;
  @Inject PeerStore store;

  /** A configured peer and what this mirror verified of it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PeerView(
      String url,
      String origin,
      String verifierKey,
      boolean trusted,
      String checkpoint,
      long size,
      long synced,
      long cosignedSize,
      Instant lastSync,
      String lastError) {}

  /** Evidence as served. */
  public record EvidenceView(
      String origin, String kind, String detail, String first, String second, Instant foundAt) {
    static EvidenceView of(Evidence e) {
      return new EvidenceView(
          e.origin(), e.kind().label(), e.detail(), e.first(), e.second(), e.foundAt());
    }
  }

  /** The answer. */
  public record MirrorView(
      String origin,
      String verifierKey,
      long size,
      long checkpointSize,
      List<PeerView> peers,
      List<EvidenceView> evidence) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public MirrorView get() {
    List<EvidenceView> evidence = store.evidence().stream().map(EvidenceView::of).toList();
    List<PeerView> views =
        peers.all().stream()
            .map(
                p -> {
                  PeerState s = store.load(p.origin());
                  boolean trusted = evidence.stream().noneMatch(e -> e.origin().equals(p.origin()));
                  return new PeerView(
                      p.url().toString(),
                      p.origin(),
                      p.key().toString(),
                      trusted,
                      s.checkpoint(),
                      s.size(),
                      s.synced(),
                      s.cosignedSize(),
                      s.lastSync(),
                      s.lastError());
                })
            .toList();
    return new MirrorView(
        identity.origin(),
        identity.verifierKey().toString(),
        writer.size(),
        writer.checkpoint().size(),
        views,
        evidence);
  }
}
