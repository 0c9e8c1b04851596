package org.canopymesh.naming.note;

import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.key.VerifyingKey;

/** Ed25519 (type 0x01) note signers and verifiers, and Go's private key string. */
public final class NoteKeys {
  private static final String PRIVATE_PREFIX = "PRIVATE+KEY+";

  private NoteKeys() {}

  /** Verifies Ed25519 signatures by {@code key} under {@code name}. */
  public static NoteVerifier verifier(String name, VerifyingKey key) {
    return verifier(new VerifierKey(name, SignatureType.ED25519, key));
  }

  /** The verifier for an Ed25519 verifier key. */
  public static NoteVerifier verifier(VerifierKey vkey) {
    if (vkey.type() != SignatureType.ED25519) {
      throw new NoteFormatException(
          "key " + vkey.name() + " is a " + vkey.type() + " key, not an Ed25519 note key");
    }
    return new Ed25519Verifier(vkey.name(), vkey.keyId(), vkey.key());
  }

  /** Signs with {@code key} under {@code name}. */
  public static NoteSigner signer(String name, SigningKey key) {
    VerifierKey vkey = new VerifierKey(name, SignatureType.ED25519, key.verifyingKey());
    return new Ed25519Signer(name, vkey.keyId(), key);
  }

  /**
   * Parses Go's signer key, {@code PRIVATE+KEY+<name>+<hex ID>+<base64(0x01 || seed)>}. The ID must
   * be that of the public key the seed derives.
   */
  public static NoteSigner parseSignerKey(String skey) {
    if (!skey.startsWith(PRIVATE_PREFIX)) {
      throw new NoteFormatException("a signer key starts with " + PRIVATE_PREFIX);
    }
    String[] parts = skey.substring(PRIVATE_PREFIX.length()).split("\\+", 3);
    if (parts.length != 3 || parts[1].length() != 8 || !Note.isValidKeyName(parts[0])) {
      throw new NoteFormatException("a signer key is PRIVATE+KEY+<name>+<hex ID>+<base64 key>");
    }
    byte[] raw;
    int id;
    try {
      id = Integer.parseUnsignedInt(parts[1], 16);
      raw = StrictBase64.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new NoteFormatException("a signer key is PRIVATE+KEY+<name>+<hex ID>+<base64 key>");
    }
    if (raw.length != 1 + SigningKey.SEED_SIZE || raw[0] != SignatureType.ED25519.id()) {
      throw new NoteFormatException("a signer key must hold 0x01 and a 32-byte Ed25519 seed");
    }
    byte[] seed = new byte[SigningKey.SEED_SIZE];
    System.arraycopy(raw, 1, seed, 0, seed.length);
    NoteSigner signer = signer(parts[0], SigningKey.fromSeed(seed));
    if (signer.keyId() != id) {
      throw new NoteFormatException("the signer key's ID does not match its key");
    }
    return signer;
  }

  /** The Go signer key string for {@code key} under {@code name}; it is secret. */
  public static String formatSignerKey(String name, SigningKey key) {
    byte[] raw = new byte[1 + SigningKey.SEED_SIZE];
    raw[0] = SignatureType.ED25519.id();
    System.arraycopy(key.seed(), 0, raw, 1, SigningKey.SEED_SIZE);
    int id = signer(name, key).keyId();
    return PRIVATE_PREFIX + name + "+" + String.format("%08x", id) + "+" + StrictBase64.encode(raw);
  }

  private record Ed25519Verifier(String keyName, int keyId, VerifyingKey key)
      implements NoteVerifier {
    @Override
    public boolean verify(byte[] text, byte[] signature) {
      return key.verify(text, signature);
    }
  }

  private record Ed25519Signer(String keyName, int keyId, SigningKey key) implements NoteSigner {
    @Override
    public byte[] sign(byte[] text) {
      return key.sign(text);
    }

    @Override
    public String toString() {
      return "Ed25519Signer[" + keyName + "]";
    }
  }
}
