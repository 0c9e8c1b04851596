package org.canopymesh.naming.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.Vectors;
import org.canopymesh.naming.key.SigningKey;
import org.junit.jupiter.api.Test;

class VerifierKeyTest {
  static final String PETER = Vectors.rows("go-note.txt", "vkey").get(0)[0];
  static final String SKEY = Vectors.rows("go-note.txt", "skey").get(0)[0];

  @Test
  void parsesAndPrintsGoVerifierKeys() {
    for (String[] row : Vectors.rows("go-note.txt", "vkey")) {
      VerifierKey k = VerifierKey.parse(row[0]);
      assertEquals(SignatureType.ED25519, k.type());
      assertEquals(row[0], k.toString());
    }
    assertEquals(0xc74f20a3, VerifierKey.parse(PETER).keyId());
  }

  @Test
  void parsesCosignatureVerifierKeys() {
    String remora = Vectors.rows("go-note.txt", "cosigvkey").get(0)[0];
    VerifierKey k = VerifierKey.parse(remora);
    assertEquals(SignatureType.COSIGNATURE_V1, k.type());
    assertEquals("remora.n621.de", k.name());
    assertEquals(remora, k.toString());
  }

  @Test
  void rejectsEveryManglingOfAVerifierKey() {
    // As Go's TestNewVerifier: every proper substring and every single-byte change fails.
    byte[] b = PETER.getBytes();
    for (int i = 0; i <= b.length; i++) {
      for (int j = i + 1; j <= b.length; j++) {
        if (i != 0 || j != b.length) {
          String s = new String(b, i, j - i);
          assertThrows(NamingException.class, () -> VerifierKey.parse(s), s);
        }
      }
    }
    for (int i = 0; i < b.length; i++) {
      b[i]++;
      String s = new String(b);
      assertThrows(NamingException.class, () -> VerifierKey.parse(s), s);
      b[i]--;
    }
  }

  @Test
  void rejectsUnknownAlgorithmsAndWrongLengths() {
    assertThrows(
        NoteFormatException.class,
        () ->
            VerifierKey.parse(
                "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
    assertThrows(
        NoteFormatException.class,
        () ->
            VerifierKey.parse(
                "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="));
  }

  @Test
  void parsesGoSignerKeyToTheMatchingVerifier() {
    NoteSigner s = NoteKeys.parseSignerKey(SKEY);
    assertEquals("PeterNeumann", s.keyName());
    assertEquals(VerifierKey.parse(PETER).keyId(), s.keyId());
  }

  @Test
  void rejectsEveryManglingOfASignerKey() {
    byte[] b = SKEY.getBytes();
    for (int i = 0; i < b.length; i++) {
      b[i]++;
      String s = new String(b);
      assertThrows(NamingException.class, () -> NoteKeys.parseSignerKey(s), s);
      b[i]--;
    }
  }

  @Test
  void roundTripsSignerKeys() {
    SigningKey key = SigningKey.generate(new SecureRandom());
    String skey = NoteKeys.formatSignerKey("mirror.example/log", key);
    NoteSigner s = NoteKeys.parseSignerKey(skey);
    NoteVerifier v = NoteKeys.verifier("mirror.example/log", key.verifyingKey());
    assertEquals(v.keyId(), s.keyId());
    Note n = Note.unsigned("hello\n").sign(s);
    assertEquals(java.util.List.of(v), n.verify(java.util.List.of(v)));
  }
}
