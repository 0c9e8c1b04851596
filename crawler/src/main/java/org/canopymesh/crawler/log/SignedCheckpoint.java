package org.canopymesh.crawler.log;

import java.time.Instant;
import org.canopymesh.naming.checkpoint.Checkpoint;

/**
 * A checkpoint this mirror signed.
 *
 * @param checkpoint the parsed body
 * @param note the signed note, without cosignatures
 * @param signedAt when it was signed
 */
public record SignedCheckpoint(Checkpoint checkpoint, String note, Instant signedAt) {
  public long size() {
    return checkpoint.size();
  }
}
