package org.canopymesh.naming.note;

/** A private key that signs note texts under a key name and ID. */
public interface NoteSigner {
  String keyName();

  int keyId();

  /** The signature of the note text {@code text}, without the key ID. */
  byte[] sign(byte[] text);
}
