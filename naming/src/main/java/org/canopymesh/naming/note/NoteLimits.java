package org.canopymesh.naming.note;

/**
 * Bounds on a note read from the network, checked before any signature is.
 *
 * @param maxBytes the whole note, text and signatures, in UTF-8 bytes
 * @param maxTextLines lines of text before the signatures
 * @param maxSignatures signature lines; the spec requires accepting at least 16
 */
public record NoteLimits(int maxBytes, int maxTextLines, int maxSignatures) {
  /** For notes of unknown use: 64 KiB, 1,024 lines, 100 signatures (Go's limit). */
  public static final NoteLimits DEFAULT = new NoteLimits(64 * 1024, 1024, 100);

  public NoteLimits {
    if (maxBytes < 1 || maxTextLines < 1 || maxSignatures < 16) {
      throw new IllegalArgumentException(
          "note limits must be positive and allow at least 16 signatures");
    }
  }
}
