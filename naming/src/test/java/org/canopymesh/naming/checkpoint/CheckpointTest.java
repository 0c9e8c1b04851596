package org.canopymesh.naming.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.canopymesh.naming.Fixtures;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.log.MerkleTree;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.note.NoteKeys;
import org.canopymesh.naming.note.NoteSigner;
import org.canopymesh.naming.note.NoteVerificationException;
import org.canopymesh.naming.note.NoteVerifier;
import org.canopymesh.naming.note.StrictBase64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {
  /** The example of c2sp.org/tlog-checkpoint. */
  static final String C2SP_BODY =
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

  static final SigningKey LOG = Fixtures.key("log");
  static final String ORIGIN = "mirror.example/canopy";

  @Test
  void parsesTheC2spExample() {
    Checkpoint c = Checkpoint.parse(C2SP_BODY);
    assertEquals("example.com/behind-the-sofa", c.origin());
    assertEquals(20852163, c.size());
    assertArrayEquals(
        StrictBase64.decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="), c.rootHash());
    assertEquals(C2SP_BODY, c.body());
  }

  @Test
  void keepsExtensionLines() {
    String body = C2SP_BODY + "ext one\next two\n";
    Checkpoint c = Checkpoint.parse(body);
    assertEquals(List.of("ext one", "ext two"), c.extensions());
    assertEquals(body, c.body());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "origin\n",
        "origin\n1\n",
        "origin\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "origin\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "origin\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",
        "origin\n1\nAAAA\n",
        "\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "or igin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n",
        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="
      })
  void rejectsMalformedBodies(String body) {
    assertThrows(CheckpointFormatException.class, () -> Checkpoint.parse(body));
  }

  @Test
  void signsAndOpensACheckpointOfARealTree() {
    MerkleTree t = new MerkleTree();
    for (int i = 0; i < 100; i++) {
      t.append(("e" + i).getBytes());
    }
    NoteSigner signer = NoteKeys.signer(ORIGIN, LOG);
    NoteVerifier verifier = NoteKeys.verifier(ORIGIN, LOG.verifyingKey());
    Checkpoint c = new Checkpoint(ORIGIN, t.size(), t.root());

    Note note = Note.parse(c.sign(signer).format());

    assertEquals(c, Checkpoint.open(note, verifier));
  }

  @Test
  void refusesCheckpointsNotSignedByTheLog() {
    Checkpoint c = new Checkpoint(ORIGIN, 0, new MerkleTree().root());
    Note note = c.sign(NoteKeys.signer(ORIGIN, Fixtures.key("impostor")));
    NoteVerifier verifier = NoteKeys.verifier(ORIGIN, LOG.verifyingKey());
    assertThrows(NoteVerificationException.class, () -> Checkpoint.open(note, verifier));
  }

  @Test
  void refusesACheckpointWhoseOriginIsNotTheLogKeyName() {
    Checkpoint c = new Checkpoint("other.example/log", 0, new MerkleTree().root());
    Note note = c.sign(NoteKeys.signer(ORIGIN, LOG));
    NoteVerifier verifier = NoteKeys.verifier(ORIGIN, LOG.verifyingKey());
    assertThrows(CheckpointFormatException.class, () -> Checkpoint.open(note, verifier));
  }
}
