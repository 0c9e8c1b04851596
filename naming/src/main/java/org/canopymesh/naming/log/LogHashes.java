package org.canopymesh.naming.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9162 §2.1.1 hashing with SHA-256: leaves {@code H(0x00 || d)}, nodes {@code H(0x01 || l ||
 * r)}.
 */
public final class LogHashes {
  public static final int SIZE = 32;
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(LogHashes::sha256);

  private LogHashes() {}

  /** The root of the empty tree, {@code SHA-256("")}. */
  public static byte[] emptyRoot() {
    return digest().digest();
  }

  /** The hash of the leaf whose entry is {@code entry}. */
  public static byte[] leaf(byte[] entry) {
    MessageDigest d = digest();
    d.update((byte) 0);
    d.update(entry);
    return d.digest();
  }

  /** The hash of an interior node with these children. */
  public static byte[] node(byte[] left, byte[] right) {
    MessageDigest d = digest();
    d.update((byte) 1);
    d.update(left);
    d.update(right);
    return d.digest();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static MessageDigest digest() {
    MessageDigest d = SHA256.get();
    d.reset();
    return d;
  }
}
