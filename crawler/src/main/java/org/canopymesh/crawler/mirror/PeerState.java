package org.canopymesh.crawler.mirror;

import java.time.Instant;
import org.canopymesh.naming.log.TreeFrontier;

/**
 * What this mirror verified of one peer's log.
 *
 * @param origin the peer's origin
 * @param checkpoint the newest checkpoint note of the peer this mirror verified, or null
 * @param size its size (0 before the first)
 * @param root its root hash, or null
 * @param frontier the peer's tree as far as this mirror has followed its entries
 * @param cosignedSize the size of this mirror's own checkpoint the peer last cosigned
 * @param lastSync when a sync with the peer last succeeded, or null
 * @param lastError why the last sync failed, or null
 */
public record PeerState(
    String origin,
    String checkpoint,
    long size,
    byte[] root,
    TreeFrontier frontier,
    long cosignedSize,
    Instant lastSync,
    String lastError) {
  public static PeerState fresh(String origin) {
    return new PeerState(origin, null, 0, null, TreeFrontier.empty(), 0, null, null);
  }

  /** Entries of the peer's log this mirror has verified and taken. */
  public long synced() {
    return frontier.size();
  }

  public PeerState withCheckpoint(String note, long size, byte[] root) {
    return new PeerState(origin, note, size, root, frontier, cosignedSize, lastSync, lastError);
  }

  public PeerState withFrontier(TreeFrontier f) {
    return new PeerState(origin, checkpoint, size, root, f, cosignedSize, lastSync, lastError);
  }

  public PeerState withCosignedSize(long n) {
    return new PeerState(origin, checkpoint, size, root, frontier, n, lastSync, lastError);
  }

  public PeerState withResult(Instant synced, String error) {
    return new PeerState(origin, checkpoint, size, root, frontier, cosignedSize, synced, error);
  }
}
