package org.canopymesh.naming;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.SignedRecord;

/** Deterministic keys, times and records for tests. */
public final class Fixtures {
  /** 2026-11-21T12:00:00Z, the "now" of most tests. */
  public static final Instant NOW = Instant.ofEpochSecond(1_795_262_400L);

  private Fixtures() {}

  /** The key whose seed is SHA-256 of {@code label}: the same key for the same label. */
  public static SigningKey key(String label) {
    try {
      byte[] seed =
          MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
      return SigningKey.fromSeed(seed);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A record of {@code name} by {@code key}, issued at {@code issued}, valid 30 days. */
  public static SignedRecord record(SigningKey key, String name, long seq, Instant issued) {
    return NameRecord.builder()
        .name(name)
        .key(key.verifyingKey())
        .seq(seq)
        .validity(issued, Duration.ofDays(30))
        .build()
        .sign(key);
  }
}
