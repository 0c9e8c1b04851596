package org.canopymesh.naming.note;

import java.util.Base64;

/**
 * Standard base64 (RFC 4648 §4) that accepts only the one spelling the encoder writes: padded, no
 * line breaks, unused bits zero. Notes are hashed and compared as bytes, so two spellings of one
 * signature must not both pass.
 */
public final class StrictBase64 {
  private StrictBase64() {}

  public static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The bytes of {@code text}, or {@link IllegalArgumentException} if it is not canonical. */
  public static byte[] decode(String text) {
    if (text.length() % 4 != 0) {
      throw new IllegalArgumentException("base64 text must be padded to a multiple of 4");
    }
    byte[] bytes = Base64.getDecoder().decode(text);
    if (!encode(bytes).equals(text)) {
      throw new IllegalArgumentException("base64 text is not in canonical form");
    }
    return bytes;
  }
}
