package org.canopymesh.crawler.mirror;

import static org.canopymesh.crawler.mirror.WitnessException.Status.CONFLICT;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.time.Clock;
import org.canopymesh.naming.checkpoint.Checkpoint;
import org.jboss.logging.Logger;

/** Records evidence of misbehaviour, loudly; a peer with evidence is no longer trusted. */
@ApplicationScoped
public class Evidences {
  private static final Logger LOG = Logger.getLogger(Evidences.class);

  @Inject PeerStore store;
  @Inject Clock clock;

  public void record(String origin, EvidenceKind kind, String detail, String first, String second) {
    store.addEvidence(new Evidence(origin, kind, detail, first, second, clock.instant()));
    LOG.errorf(
        "EVIDENCE OF MISBEHAVIOUR by mirror %s (%s): %s. It is no longer synced or cosigned;"
            + " the evidence is on /api/v1/mirror.",
        origin, kind.label(), detail);
  }

  /**
   * Compares a peer's signed checkpoint with the one this mirror verified while syncing: two of one
   * size with different roots are a split view, however they arrived.
   */
  void crossCheck(Peer peer, Checkpoint c, String note) {
    PeerState synced = store.load(peer.origin());
    if (synced.checkpoint() != null
        && synced.size() == c.size()
        && !MessageDigest.isEqual(synced.root(), c.rootHash())) {
      record(
          peer.origin(),
          EvidenceKind.SPLIT_VIEW,
          "two signed checkpoints of size " + c.size() + " with different roots",
          synced.checkpoint(),
          note);
      throw new WitnessException(CONFLICT, "a different checkpoint of this size is known");
    }
  }
}
