package org.canopymesh.naming.note;

/** The signature type bytes of c2sp.org/signed-note that Canopy uses. */
public enum SignatureType {
  /** Ed25519 over the note text. */
  ED25519(0x01),
  /** Timestamped Ed25519 cosignature of a checkpoint (c2sp.org/tlog-cosignature). */
  COSIGNATURE_V1(0x04);

  private final byte id;

  SignatureType(int id) {
    this.id = (byte) id;
  }

  public byte id() {
    return id;
  }

  static SignatureType of(byte id) {
    for (SignatureType t : values()) {
      if (t.id == id) {
        return t;
      }
    }
    throw new NoteFormatException(
        "signature type 0x" + String.format("%02x", id & 0xff) + " is not supported");
  }
}
