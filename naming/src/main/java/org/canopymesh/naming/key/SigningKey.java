package org.canopymesh.naming.key;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key: the 32-byte seed and the public key derived from it. {@link #toString()}
 * never shows the seed.
 */
public final class SigningKey {
  public static final int SEED_SIZE = Ed25519.SECRET_KEY_SIZE;

  private final byte[] seed;
  private final byte[] publicBytes;
  private final VerifyingKey verifyingKey;

  private SigningKey(byte[] seed) {
    this.seed = seed;
    this.publicBytes = new byte[VerifyingKey.SIZE];
    Ed25519.generatePublicKey(seed, 0, publicBytes, 0);
    this.verifyingKey = VerifyingKey.of(publicBytes);
  }

  /** A new key from {@code random}. */
  public static SigningKey generate(SecureRandom random) {
    byte[] seed = new byte[SEED_SIZE];
    random.nextBytes(seed);
    return new SigningKey(seed);
  }

  /** The key with this 32-byte seed (copied). */
  public static SigningKey fromSeed(byte[] seed) {
    if (seed.length != SEED_SIZE) {
      throw new KeyFormatException(
          "an Ed25519 seed is " + SEED_SIZE + " bytes, not " + seed.length);
    }
    return new SigningKey(seed.clone());
  }

  /**
   * The key in Go's 64-byte private key form, seed followed by public key, as Yggdrasil stores it
   * in {@code PrivateKey}. The public half must be the one the seed derives.
   */
  public static SigningKey fromSeedAndPublicKey(byte[] key) {
    if (key.length != SEED_SIZE + VerifyingKey.SIZE) {
      throw new KeyFormatException(
          "a private key is "
              + (SEED_SIZE + VerifyingKey.SIZE)
              + " bytes (seed and public key), not "
              + key.length);
    }
    SigningKey k = new SigningKey(Arrays.copyOf(key, SEED_SIZE));
    if (!k.verifyingKey.matches(key, SEED_SIZE)) {
      throw new KeyFormatException(
          "the private key's second half is not the public key of its first half");
    }
    return k;
  }

  /** Parses 64 hex digits (a seed) or 128 (seed and public key). */
  public static SigningKey parseHex(String hex) {
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new KeyFormatException("a private key is written in hex digits only");
    }
    if (bytes.length == SEED_SIZE) {
      return new SigningKey(bytes);
    }
    return fromSeedAndPublicKey(bytes);
  }

  public VerifyingKey verifyingKey() {
    return verifyingKey;
  }

  /** A copy of the seed; handle with care. */
  public byte[] seed() {
    return seed.clone();
  }

  /** The RFC 8032 Ed25519 signature of {@code message}. */
  public byte[] sign(byte[] message) {
    byte[] signature = new byte[VerifyingKey.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, publicBytes, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  @Override
  public String toString() {
    return "SigningKey[public=" + verifyingKey.toHex() + "]";
  }
}
