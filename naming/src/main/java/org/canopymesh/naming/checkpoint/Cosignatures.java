package org.canopymesh.naming.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.key.VerifyingKey;
import org.canopymesh.naming.note.NoteFormatException;
import org.canopymesh.naming.note.NoteSignature;
import org.canopymesh.naming.note.NoteSigner;
import org.canopymesh.naming.note.NoteVerifier;
import org.canopymesh.naming.note.SignatureType;
import org.canopymesh.naming.note.VerifierKey;

/**
 * Ed25519 checkpoint cosignatures (c2sp.org/tlog-cosignature, type 0x04). The signature line holds
 * a big-endian 64-bit timestamp and an Ed25519 signature over {@code "cosignature/v1\ntime
 * <timestamp>\n"} followed by the checkpoint body.
 */
public final class Cosignatures {
  private static final int SIGNATURE_SIZE = 8 + VerifyingKey.SIGNATURE_SIZE;

  private Cosignatures() {}

  /** A cosigner named {@code name} that stamps each cosignature with {@code clock}'s second. */
  public static NoteSigner cosigner(String name, SigningKey key, Clock clock) {
    int id = VerifierKey.keyId(name, SignatureType.COSIGNATURE_V1, key.verifyingKey());
    return new Cosigner(name, id, key, clock);
  }

  /** Verifies cosignatures by {@code key} under {@code name}. */
  public static NoteVerifier verifier(String name, VerifyingKey key) {
    return verifier(new VerifierKey(name, SignatureType.COSIGNATURE_V1, key));
  }

  /** Verifies cosignatures by a cosignature verifier key (type 0x04). */
  public static NoteVerifier verifier(VerifierKey vkey) {
    if (vkey.type() != SignatureType.COSIGNATURE_V1) {
      throw new NoteFormatException("key " + vkey.name() + " is not a cosignature key");
    }
    return new CosignatureVerifier(vkey.name(), vkey.keyId(), vkey.key());
  }

  /** When the cosigner says it signed; {@link CheckpointFormatException} if not a cosignature. */
  public static Instant timestamp(NoteSignature signature) {
    byte[] sig = signature.signature();
    if (sig.length != SIGNATURE_SIZE) {
      throw new CheckpointFormatException(
          "a cosignature is " + SIGNATURE_SIZE + " bytes, not " + sig.length);
    }
    long t = ByteBuffer.wrap(sig).getLong();
    if (t < 0) {
      throw new CheckpointFormatException("a cosignature timestamp must be below 2^63");
    }
    return Instant.ofEpochSecond(t);
  }

  /** The message a cosignature at {@code timestamp} signs for the checkpoint body {@code text}. */
  static byte[] message(long timestamp, byte[] text) {
    byte[] header =
        ("cosignature/v1\ntime " + timestamp + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] m = new byte[header.length + text.length];
    System.arraycopy(header, 0, m, 0, header.length);
    System.arraycopy(text, 0, m, header.length, text.length);
    return m;
  }

  private record Cosigner(String keyName, int keyId, SigningKey key, Clock clock)
      implements NoteSigner {
    @Override
    public byte[] sign(byte[] text) {
      long t = clock.instant().getEpochSecond();
      byte[] sig = key.sign(message(t, text));
      return ByteBuffer.allocate(SIGNATURE_SIZE).putLong(t).put(sig).array();
    }

    @Override
    public String toString() {
      return "Cosigner[" + keyName + "]";
    }
  }

  private record CosignatureVerifier(String keyName, int keyId, VerifyingKey key)
      implements NoteVerifier {
    @Override
    public boolean verify(byte[] text, byte[] signature) {
      if (signature.length != SIGNATURE_SIZE) {
        return false;
      }
      ByteBuffer b = ByteBuffer.wrap(signature);
      long t = b.getLong();
      if (t < 0) {
        return false;
      }
      byte[] sig = new byte[VerifyingKey.SIGNATURE_SIZE];
      b.get(sig);
      return key.verify(message(t, text), sig);
    }
  }
}
