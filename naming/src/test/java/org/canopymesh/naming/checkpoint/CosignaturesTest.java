package org.canopymesh.naming.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.canopymesh.naming.Fixtures;
import org.canopymesh.naming.Vectors;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.note.NoteFormatException;
import org.canopymesh.naming.note.NoteKeys;
import org.canopymesh.naming.note.NoteSignature;
import org.canopymesh.naming.note.NoteSigner;
import org.canopymesh.naming.note.NoteVerifier;
import org.canopymesh.naming.note.SignatureType;
import org.canopymesh.naming.note.StrictBase64;
import org.canopymesh.naming.note.VerifierKey;
import org.junit.jupiter.api.Test;

class CosignaturesTest {
  static final SigningKey LOG = Fixtures.key("log");
  static final SigningKey WITNESS = Fixtures.key("witness");
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1679315147), ZoneOffset.UTC);
  static final String BODY =
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

  @Test
  void signsTheSpecifiedMessage() {
    NoteSigner cosigner = Cosignatures.cosigner("witness.example/w1", WITNESS, CLOCK);
    byte[] sig = cosigner.sign(BODY.getBytes(StandardCharsets.UTF_8));

    assertEquals(8 + 64, sig.length);
    assertEquals(1679315147L, ByteBuffer.wrap(sig).getLong());
    // Independently of the verifier: the Ed25519 signature covers exactly the spec's message.
    String message = "cosignature/v1\ntime 1679315147\n" + BODY;
    assertTrue(
        WITNESS
            .verifyingKey()
            .verify(message.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(sig, 8, 72)));
  }

  @Test
  void usesTheCosignatureKeyIdNotTheNoteKeyId() {
    NoteSigner cosigner = Cosignatures.cosigner("witness.example/w1", WITNESS, CLOCK);
    assertEquals(
        VerifierKey.keyId(
            "witness.example/w1", SignatureType.COSIGNATURE_V1, WITNESS.verifyingKey()),
        cosigner.keyId());
    assertFalse(cosigner.keyId() == NoteKeys.signer("witness.example/w1", WITNESS).keyId());
  }

  @Test
  void aCheckpointGathersCosignaturesThatVerifyAlongsideTheLogSignature() {
    NoteSigner cosigner = Cosignatures.cosigner("witness.example/w1", WITNESS, CLOCK);
    Note note = Note.unsigned(BODY).sign(NoteKeys.signer("example.com/behind-the-sofa", LOG));
    Note cosigned = Note.parse(note.sign(cosigner).format());

    NoteVerifier log = NoteKeys.verifier("example.com/behind-the-sofa", LOG.verifyingKey());
    NoteVerifier witness = Cosignatures.verifier("witness.example/w1", WITNESS.verifyingKey());

    assertEquals(List.of(log, witness), cosigned.verify(List.of(log, witness)));
    NoteSignature line = cosigned.signatures().get(1);
    assertEquals(CLOCK.instant(), Cosignatures.timestamp(line));
  }

  @Test
  void aCosignatureDoesNotVerifyAsAPlainNoteSignatureNorOnAnotherBody() {
    NoteSigner cosigner = Cosignatures.cosigner("w", WITNESS, CLOCK);
    Note cosigned = Note.unsigned(BODY).sign(cosigner);
    assertFalse(cosigned.isSignedBy(NoteKeys.verifier("w", WITNESS.verifyingKey())));

    NoteVerifier witness = Cosignatures.verifier("w", WITNESS.verifyingKey());
    Note moved = Note.unsigned(BODY + "extension\n").withSignature(cosigned.signatures().get(0));
    assertFalse(moved.isSignedBy(witness));
    assertTrue(cosigned.isSignedBy(witness));
  }

  @Test
  void readsTheTimestampOfAPublishedCosignature() {
    String[] row = Vectors.rows("go-note.txt", "cosigtime").get(0);
    byte[] raw = StrictBase64.decode(row[0]);
    NoteSignature sig =
        new NoteSignature(
            "remora.n621.de",
            ByteBuffer.wrap(raw).getInt(),
            Arrays.copyOfRange(raw, 4, raw.length));
    assertEquals(Instant.ofEpochSecond(Long.parseLong(row[1])), Cosignatures.timestamp(sig));
  }

  @Test
  void rejectsSignaturesThatAreNotCosignatures() {
    Note plain = Note.unsigned(BODY).sign(NoteKeys.signer("w", WITNESS));
    assertThrows(
        CheckpointFormatException.class, () -> Cosignatures.timestamp(plain.signatures().get(0)));
    VerifierKey notCosig = new VerifierKey("w", SignatureType.ED25519, WITNESS.verifyingKey());
    assertThrows(NoteFormatException.class, () -> Cosignatures.verifier(notCosig));
  }
}
