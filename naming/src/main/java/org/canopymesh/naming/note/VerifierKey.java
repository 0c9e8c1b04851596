package org.canopymesh.naming.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.canopymesh.naming.key.KeyFormatException;
import org.canopymesh.naming.key.VerifyingKey;

/**
 * A public key as signed-note tools exchange it: {@code <name>+<hex key ID>+<base64(type || key)>},
 * e.g. {@code PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW}.
 *
 * @param name the key name
 * @param type the signature type
 * @param key the Ed25519 public key
 */
public record VerifierKey(String name, SignatureType type, VerifyingKey key) {
  public VerifierKey {
    if (!Note.isValidKeyName(name)) {
      throw new NoteFormatException("\"" + name + "\" is not a valid key name");
    }
  }

  /** Parses the text form; the key ID must be the one the name, type and key determine. */
  public static VerifierKey parse(String vkey) {
    String[] parts = vkey.split("\\+", 3); // base64 may hold "+"
    if (parts.length != 3 || parts[1].length() != 8) {
      throw new NoteFormatException("a verifier key is <name>+<8 hex digits>+<base64 key>");
    }
    int id;
    byte[] raw;
    try {
      id = Integer.parseUnsignedInt(parts[1], 16);
      raw = StrictBase64.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new NoteFormatException("a verifier key is <name>+<8 hex digits>+<base64 key>");
    }
    if (raw.length != 1 + VerifyingKey.SIZE) {
      throw new NoteFormatException("a verifier key must hold a type byte and a 32-byte key");
    }
    byte[] pub = new byte[VerifyingKey.SIZE];
    System.arraycopy(raw, 1, pub, 0, pub.length);
    VerifierKey k;
    try {
      k = new VerifierKey(parts[0], SignatureType.of(raw[0]), VerifyingKey.of(pub));
    } catch (KeyFormatException e) {
      throw new NoteFormatException("a verifier key holds a bad key: " + e.getMessage());
    }
    if (k.keyId() != id) {
      throw new NoteFormatException("the verifier key's ID does not match its name and key");
    }
    return k;
  }

  /** {@code SHA-256(name || 0x0A || type || key)[:4]}, big-endian. */
  public int keyId() {
    return keyId(name, type, key);
  }

  /** The key ID the signed-note spec recommends for a key of this name and type. */
  public static int keyId(String name, SignatureType type, VerifyingKey key) {
    MessageDigest sha = sha256();
    sha.update(name.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '\n');
    sha.update(type.id());
    sha.update(key.bytes());
    return ByteBuffer.wrap(sha.digest()).getInt();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    byte[] raw = new byte[1 + VerifyingKey.SIZE];
    raw[0] = type.id();
    System.arraycopy(key.bytes(), 0, raw, 1, VerifyingKey.SIZE);
    return name + "+" + String.format("%08x", keyId()) + "+" + StrictBase64.encode(raw);
  }
}
