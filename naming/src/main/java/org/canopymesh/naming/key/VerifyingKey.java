package org.canopymesh.naming.key;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key (RFC 8032, 32 bytes). The node identity of Yggdrasil and the key of every
 * signed note in Canopy.
 *
 * <p>The decoded curve point is cached on first use, so verifying many signatures by one key
 * decodes it once.
 */
public final class VerifyingKey {
  public static final int SIZE = Ed25519.PUBLIC_KEY_SIZE;
  public static final int SIGNATURE_SIZE = Ed25519.SIGNATURE_SIZE;

  private final byte[] bytes;
  private volatile Ed25519.PublicPoint point;

  private VerifyingKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The key whose encoding is {@code bytes} (copied). */
  public static VerifyingKey of(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new KeyFormatException(
          "an Ed25519 public key is " + SIZE + " bytes, not " + bytes.length);
    }
    return new VerifyingKey(bytes.clone());
  }

  /** Parses 64 hex digits (either case). */
  public static VerifyingKey parseHex(String hex) {
    if (hex.length() != 2 * SIZE) {
      throw new KeyFormatException(
          "a public key is " + 2 * SIZE + " hex digits, not " + hex.length());
    }
    try {
      return new VerifyingKey(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new KeyFormatException("a public key is written in hex digits only");
    }
  }

  /** A copy of the 32 key bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Lower-case hex, as Yggdrasil writes keys. */
  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Whether {@code signature} is a valid Ed25519 signature by this key over {@code message}. A key
   * that does not encode a curve point verifies nothing.
   */
  public boolean verify(byte[] message, byte[] signature) {
    return verify(message, 0, message.length, signature);
  }

  public boolean verify(byte[] message, int offset, int length, byte[] signature) {
    if (signature.length != SIGNATURE_SIZE) {
      return false;
    }
    Ed25519.PublicPoint p = point();
    return p != null && Ed25519.verify(signature, 0, p, message, offset, length);
  }

  private Ed25519.PublicPoint point() {
    Ed25519.PublicPoint p = point;
    if (p == null) {
      // Partial validation matches what Go's crypto/ed25519 accepts; a racing double decode is
      // harmless.
      p = Ed25519.validatePublicKeyPartialExport(bytes, 0);
      point = p;
    }
    return p;
  }

  /** Compares {@code bytes} with this key without copying. */
  boolean matches(byte[] other, int offset) {
    return Arrays.equals(bytes, 0, SIZE, other, offset, offset + SIZE);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifyingKey k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
