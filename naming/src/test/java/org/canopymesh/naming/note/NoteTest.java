package org.canopymesh.naming.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.canopymesh.naming.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoteTest {
  static final String TEXT =
      Vectors.rows("go-note.txt").stream()
          .filter(r -> r[0].equals("text"))
          .map(r -> String.join(" ", List.of(r).subList(1, r.length)) + "\n")
          .collect(Collectors.joining());
  static final List<String> SIGS =
      Vectors.text("go-note.txt")
          .lines()
          .filter(l -> l.startsWith("sig "))
          .map(l -> l.substring(4) + "\n")
          .toList();
  static final String PETER_SIG = SIGS.get(0);
  static final String ENOCH_SIG = SIGS.get(1);

  static NoteVerifier peter() {
    return NoteKeys.verifier(VerifierKey.parse(Vectors.rows("go-note.txt", "vkey").get(0)[0]));
  }

  static NoteVerifier enoch() {
    return NoteKeys.verifier(VerifierKey.parse(Vectors.rows("go-note.txt", "vkey").get(1)[0]));
  }

  @Test
  void signsExactlyAsGosNotePackage() {
    NoteSigner signer = NoteKeys.parseSignerKey(Vectors.rows("go-note.txt", "skey").get(0)[0]);
    Note note = Note.unsigned(TEXT).sign(signer);
    assertEquals(TEXT + "\n" + PETER_SIG, note.format());
  }

  @Test
  void replacesAnOldSignatureBySameKeyWhenSigningAgain() {
    NoteSigner signer = NoteKeys.parseSignerKey(Vectors.rows("go-note.txt", "skey").get(0)[0]);
    Note note = Note.parse(TEXT + "\n" + PETER_SIG + ENOCH_SIG).sign(signer);
    assertEquals(TEXT + "\n" + ENOCH_SIG + PETER_SIG, note.format());
  }

  @Test
  void verifiesKnownKeysAndIgnoresUnknownOnes() {
    Note note = Note.parse(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
    NoteVerifier peter = peter();

    assertEquals(List.of(peter), note.verify(List.of(peter)));
    assertEquals(2, note.signatures().size());
    assertEquals(TEXT, note.text());
  }

  @Test
  void verifiesEveryKnownKey() {
    Note note = Note.parse(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
    NoteVerifier peter = peter();
    NoteVerifier enoch = enoch();
    assertEquals(List.of(enoch, peter), note.verify(List.of(enoch, peter)));
  }

  @Test
  void rejectsANoteNoKnownKeySigned() {
    Note note = Note.parse(TEXT + "\n" + ENOCH_SIG);
    NoteVerificationException e =
        assertThrows(NoteVerificationException.class, () -> note.verify(List.of(peter())));
    assertTrue(e.getMessage().contains("not signed by any known key"), e.getMessage());
  }

  @Test
  void rejectsANoteWhoseKnownSignatureFails() {
    String bad = PETER_SIG.substring(0, 60) + "ABCD" + PETER_SIG.substring(60);
    Note note = Note.parse(TEXT + "\n" + bad);
    assertThrows(NoteVerificationException.class, () -> note.verify(List.of(peter())));
    assertFalse(note.isSignedBy(peter()));
  }

  @Test
  void rejectsAmbiguousKnownKeys() {
    Note note = Note.parse(TEXT + "\n" + PETER_SIG);
    assertThrows(NoteVerificationException.class, () -> note.verify(List.of(peter(), peter())));
  }

  @Test
  void roundTripsTheFormatByteForByte() {
    String encoded = TEXT + "\n" + PETER_SIG + ENOCH_SIG;
    assertEquals(encoded, Note.parse(encoded).format());
  }

  @Test
  void keepsBlankLinesInTheText() {
    String text = "a\n\nb\n\n";
    NoteSigner signer = NoteKeys.parseSignerKey(Vectors.rows("go-note.txt", "skey").get(0)[0]);
    Note note = Note.parse(Note.unsigned(text).sign(signer).format());
    assertEquals(text, note.text());
    assertTrue(note.isSignedBy(peter()));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
  void rejectsMalformedNotesFromGosSuite(int which) {
    String[] bad = {
      TEXT,
      TEXT + "\n",
      TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1),
      "\u0001" + TEXT + "\n" + PETER_SIG,
      TEXT
          + "\n"
          + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
      TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
      TEXT + "\n" + "\u2014 PeterNeumann AAAA\n",
      TEXT + "\n" + "\u2014 Peter+Neumann " + PETER_SIG.split(" ")[2],
      TEXT
          + "\n"
          + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n",
      TEXT + "\n" + "- PeterNeumann " + PETER_SIG.split(" ")[2],
    };
    assertThrows(NoteFormatException.class, () -> Note.parse(bad[which]));
  }

  @Test
  void rejectsInvalidUtf8() {
    byte[] note = (TEXT + "\n" + PETER_SIG).getBytes(StandardCharsets.UTF_8);
    note[0] = (byte) 0xff;
    NoteFormatException e = assertThrows(NoteFormatException.class, () -> Note.parse(note));
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void rejectsNonCanonicalBase64() {
    // 'M' ends the canonical signature; 'N' spells the same bytes with a non-zero unused bit.
    String other = PETER_SIG.replace("JnAM=", "JnAN=");
    assertThrows(NoteFormatException.class, () -> Note.parse(TEXT + "\n" + other));
  }

  @Test
  void enforcesItsLimitsBeforeVerifying() {
    String many = TEXT + "\n" + PETER_SIG.repeat(101);
    assertThrows(NoteFormatException.class, () -> Note.parse(many));
    assertEquals(100, Note.parse(TEXT + "\n" + PETER_SIG.repeat(100)).signatures().size());

    NoteLimits small = new NoteLimits(200, 1, 16);
    assertThrows(
        NoteFormatException.class,
        () -> Note.parse((TEXT + "\n" + PETER_SIG).getBytes(StandardCharsets.UTF_8), small));
    assertThrows(
        NoteFormatException.class,
        () ->
            Note.parse(
                ("a\n".repeat(2) + "\n" + PETER_SIG).getBytes(StandardCharsets.UTF_8),
                new NoteLimits(10_000, 1, 16)));
  }

  @Test
  void duplicateSignatureLinesVerifyOnce() {
    Note note = Note.parse(TEXT + "\n" + PETER_SIG + PETER_SIG);
    assertEquals(List.of(peter()).size(), note.verify(List.of(peter())).size());
  }

  @Test
  void refusesUnsignableText() {
    assertThrows(NoteFormatException.class, () -> Note.unsigned("no newline"));
    assertThrows(NoteFormatException.class, () -> Note.unsigned(""));
    assertThrows(NoteFormatException.class, () -> Note.unsigned("tab\there\n"));
  }
}
