package org.canopymesh.naming.note;

import java.util.Arrays;

/**
 * One signature line of a note: {@code — <key name> base64(key ID || signature)}.
 *
 * @param keyName who signed; non-empty, no spaces, no {@code +}
 * @param keyId the 32-bit key ID (big-endian on the wire)
 * @param signature the signature bytes after the key ID
 */
public record NoteSignature(String keyName, int keyId, byte[] signature) {
  public NoteSignature {
    if (!Note.isValidKeyName(keyName)) {
      throw new NoteFormatException("\"" + keyName + "\" is not a valid key name");
    }
    if (signature.length == 0) {
      throw new NoteFormatException("a signature of key " + keyName + " is empty");
    }
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The line as it appears in a note, without the newline. */
  public String line() {
    byte[] raw = new byte[4 + signature.length];
    raw[0] = (byte) (keyId >>> 24);
    raw[1] = (byte) (keyId >>> 16);
    raw[2] = (byte) (keyId >>> 8);
    raw[3] = (byte) keyId;
    System.arraycopy(signature, 0, raw, 4, signature.length);
    return Note.SIGNATURE_PREFIX + keyName + " " + StrictBase64.encode(raw);
  }

  /** Whether this line claims to be by the key with {@code keyName} and {@code keyId}. */
  public boolean isBy(String name, int id) {
    return keyId == id && keyName.equals(name);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteSignature s
        && keyId == s.keyId
        && keyName.equals(s.keyName)
        && Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * keyName.hashCode() + keyId) + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return keyName + "+" + String.format("%08x", keyId);
  }
}
