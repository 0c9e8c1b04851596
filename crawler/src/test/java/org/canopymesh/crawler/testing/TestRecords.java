package org.canopymesh.crawler.testing;

import java.time.Duration;
import java.time.Instant;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.record.NameRecord;

/** Name records for test nodes to publish in their NodeInfo. */
public final class TestRecords {
  private TestRecords() {}

  /** The note of a record of {@code name} by {@code key}, valid from now for 30 days. */
  public static String note(SigningKey key, String name) {
    return NameRecord.builder()
        .name(name)
        .key(key.verifyingKey())
        .seq(1)
        .validity(Instant.now(), Duration.ofDays(30))
        .build()
        .sign(key)
        .format();
  }
}
