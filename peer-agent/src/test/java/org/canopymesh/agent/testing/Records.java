package org.canopymesh.agent.testing;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.Service;
import org.canopymesh.naming.record.SignedRecord;

/** Signed records for tests, made with the naming library. */
public final class Records {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Records() {}

  public static SigningKey newKey() {
    return SigningKey.generate(RANDOM);
  }

  /** A record for {@code name} by {@code key}, issued at {@code issued}, valid 30 days. */
  public static SignedRecord record(SigningKey key, String name, long seq, Instant issued) {
    return NameRecord.builder()
        .name(name)
        .key(key.verifyingKey())
        .seq(seq)
        .validity(issued, Duration.ofDays(30))
        .service(Service.parse("http:tcp:80"))
        .text("hello from " + name)
        .build()
        .sign(key);
  }

  /** {@code record}'s bytes with one bit of its signature flipped: well formed, not valid. */
  public static byte[] forged(SignedRecord record) {
    byte[] b = record.encoded().clone();
    int space = b.length - 1;
    while (b[space] != ' ') {
      space--;
    }
    int i = space + 1 + 12; // inside the signature, past the 4-byte key ID

    b[i] = (byte) (b[i] == 'A' ? 'B' : 'A');
    return b;
  }
}
