package org.canopymesh.naming.note;

/** A known key: its name and ID select the signature lines it checks. */
public interface NoteVerifier {
  String keyName();

  int keyId();

  /** Whether {@code signature} (without the key ID) is valid for the note text {@code text}. */
  boolean verify(byte[] text, byte[] signature);
}
