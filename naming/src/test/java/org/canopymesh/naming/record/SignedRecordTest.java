package org.canopymesh.naming.record;

import static org.canopymesh.naming.Fixtures.NOW;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.ADDRESS_MISMATCH;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.BAD_SIGNATURE;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.DUPLICATE_FIELD;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.EXPIRED;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.EXPIRES_BEFORE_ISSUED;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.ISSUED_IN_FUTURE;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.LIFETIME_TOO_LONG;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.MALFORMED_FIELD;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.MALFORMED_NAME;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.MALFORMED_NOTE;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.MISSING_FIELD;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.NAME_OUTSIDE_ZONE;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.TOO_LARGE;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.UNKNOWN_FIELD;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.UNSUPPORTED_FORMAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.canopymesh.naming.Fixtures;
import org.canopymesh.naming.Vectors;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.note.NoteKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignedRecordTest {
  static final SigningKey OWNER = Fixtures.key("owner");
  static final SigningKey OTHER = Fixtures.key("other");
  static final RecordRules RULES = RecordRules.DEFAULT;

  /** A valid body for {@link #OWNER}, issued a minute before {@link Fixtures#NOW}. */
  static String body() {
    return NameRecord.builder()
        .name("wiki.mesh.alt")
        .key(OWNER.verifyingKey())
        .seq(7)
        .validity(NOW.minusSeconds(60), Duration.ofDays(30))
        .service(Service.parse("http:tcp:80"))
        .text("the community wiki")
        .build()
        .body();
  }

  /** {@code body} signed by {@code key} under the name of {@code OWNER}'s address. */
  static String signed(String body, SigningKey key) {
    String name = OverlayAddress.forKey(OWNER.verifyingKey()).toString();
    return Note.unsigned(body).sign(NoteKeys.signer(name, key)).format();
  }

  static InvalidRecordException.Reason reasonOf(String note) {
    return assertThrows(InvalidRecordException.class, () -> RULES.verify(note.getBytes(), NOW))
        .reason();
  }

  @Test
  void parsesAnAuthenticatedEntryWithoutItsSignatureButWithEveryOtherRule() {
    String forged = signed(body(), OTHER);
    assertEquals(
        InvalidRecordException.Reason.BAD_SIGNATURE,
        assertThrows(InvalidRecordException.class, () -> SignedRecord.parse(forged.getBytes()))
            .reason());
    // Bytes a log authenticated by its own tree: the signature is not checked again...
    assertEquals(
        "wiki.mesh.alt", SignedRecord.parseAuthenticated(forged.getBytes()).record().name());
    // ...but the format still is.
    assertThrows(
        InvalidRecordException.class,
        () ->
            SignedRecord.parseAuthenticated(
                signed(body().replace("seq 7", "seq x"), OWNER).getBytes()));
  }

  @Test
  void signsTheKnownAnswerRecordByteForByte() {
    SigningKey key = Fixtures.key("canopy known-answer record");
    SignedRecord r =
        NameRecord.builder()
            .name("wiki.mesh.alt")
            .key(key.verifyingKey())
            .seq(1795262400L)
            .validity(Instant.ofEpochSecond(1795262400L), Duration.ofDays(30))
            .service(Service.parse("http:tcp:80"))
            .service(Service.parse("xmpp-client:tcp:5222"))
            .text("Medium community wiki")
            .build()
            .sign(key);
    assertEquals(Vectors.text("records/wiki.mesh.alt.note"), r.format());
  }

  @Test
  void acceptsAValidRecordAndReadsEveryField() {
    SignedRecord r = RULES.verify(signed(body(), OWNER).getBytes(), NOW);
    NameRecord rec = r.record();
    assertEquals("wiki.mesh.alt", rec.name());
    assertEquals(OWNER.verifyingKey(), rec.key());
    assertEquals(7, rec.seq());
    assertEquals(List.of(new Service("http", Protocol.TCP, 80)), rec.services());
    assertEquals(List.of("the community wiki"), rec.texts());
    assertEquals(body(), r.note().text());
  }

  @Test
  void ignoresSignaturesByOtherKeys() {
    String note = signed(body(), OWNER);
    String extra = Note.parse(note).sign(NoteKeys.signer("witness.example", OTHER)).format();
    assertEquals(2, RULES.verify(extra.getBytes(), NOW).note().signatures().size());
  }

  @Test
  void rejectsRecordWhoseAddressDoesNotMatchKey() {
    String other = OverlayAddress.forKey(OTHER.verifyingKey()).toString();
    String mine = OverlayAddress.forKey(OWNER.verifyingKey()).toString();
    assertEquals(ADDRESS_MISMATCH, reasonOf(signed(body().replace(mine, other), OWNER)));
  }

  @Test
  void rejectsRecordSignedByAnotherKey() {
    assertEquals(BAD_SIGNATURE, reasonOf(signed(body(), OTHER)));
  }

  @Test
  void rejectsRecordWhoseTextWasChangedAfterSigning() {
    String note = signed(body(), OWNER).replace("seq 7\n", "seq 8\n");
    assertEquals(BAD_SIGNATURE, reasonOf(note));
  }

  @Test
  void rejectsRecordWithoutItsOwnersSignature() {
    String note = Note.unsigned(body()).sign(NoteKeys.signer("someone", OWNER)).format();
    assertEquals(BAD_SIGNATURE, reasonOf(note));
  }

  @Test
  void rejectsRecordOverFourKibibytes() {
    String note = signed(body(), OWNER) + "\u2014 pad " + "A".repeat(4096) + "\n";
    assertEquals(TOO_LARGE, reasonOf(note));
  }

  @Test
  void rejectsMalformedNotes() {
    assertEquals(MALFORMED_NOTE, reasonOf(body()));
    assertEquals(MALFORMED_NOTE, reasonOf("\u0000" + signed(body(), OWNER)));
  }

  @Test
  void rejectsOtherFormats() {
    assertEquals(UNSUPPORTED_FORMAT, reasonOf(signed(body().replace("/v1", "/v2"), OWNER)));
  }

  @Test
  void rejectsMissingDuplicateUnknownAndMisplacedFields() {
    assertEquals(MISSING_FIELD, reasonOf(signed(body().replaceAll("expires .*\n", ""), OWNER)));
    assertEquals(
        DUPLICATE_FIELD, reasonOf(signed(body().replace("seq 7\n", "seq 7\nseq 8\n"), OWNER)));
    assertEquals(
        UNKNOWN_FIELD, reasonOf(signed(body().replace("seq 7\n", "seq 7\ncolor blue\n"), OWNER)));
    assertEquals(
        MALFORMED_FIELD,
        reasonOf(signed(body().replace("srv http tcp 80\n", "") + "srv http tcp 80\n", OWNER)));
    assertEquals(MALFORMED_FIELD, reasonOf(signed(body().replace("seq 7\n", "seq 7\n\n"), OWNER)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "seq 07", "seq -1", "seq 18446744073709551616", "seq 1e3", "srv http tcp 0",
        "srv http sctp 80", "srv http tcp 080", "srv HTTP tcp 80", "srv http tcp", "srv -x tcp 80",
        "txt  padded"
      })
  void rejectsMalformedFieldValues(String line) {
    String field = line.substring(0, line.indexOf(' '));
    String body = body();
    String replaced =
        body.lines()
                .map(l -> l.startsWith(field + " ") ? line : l)
                .reduce((a, b) -> a + "\n" + b)
                .orElseThrow()
            + "\n";
    assertEquals(MALFORMED_FIELD, reasonOf(signed(replaced, OWNER)), replaced);
  }

  @Test
  void rejectsUpperCaseKeyHex() {
    String hex = OWNER.verifyingKey().toHex();
    assertEquals(MALFORMED_FIELD, reasonOf(signed(body().replace(hex, hex.toUpperCase()), OWNER)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Wiki.mesh.alt",
        "wiki..mesh.alt",
        "-wiki.mesh.alt",
        "wiki-.mesh.alt",
        "wi_ki.mesh.alt",
        "xn--zz.mesh.alt",
        "ab--cd.mesh.alt",
        "wiki.mesh.alt.",
        "café.mesh.alt"
      })
  void rejectsNamesNotInCanonicalForm(String name) {
    assertEquals(
        MALFORMED_NAME,
        reasonOf(signed(body().replace("name wiki.mesh.alt", "name " + name), OWNER)));
  }

  @Test
  void rejectsOverlongNamesAndLabels() {
    String label64 = "a".repeat(64);
    assertEquals(
        MALFORMED_NAME, reasonOf(signed(body().replace("name wiki", "name " + label64), OWNER)));
    String longName = "a.".repeat(124) + "mesh.alt";
    assertTrue(longName.length() > DnsNames.MAX_LENGTH);
    assertEquals(
        MALFORMED_NAME,
        reasonOf(signed(body().replace("name wiki.mesh.alt", "name " + longName), OWNER)));
  }

  @Test
  void rejectsNamesOutsideTheZone() {
    assertEquals(
        NAME_OUTSIDE_ZONE,
        reasonOf(signed(body().replace("wiki.mesh.alt", "wiki.example"), OWNER)));
    assertEquals(
        NAME_OUTSIDE_ZONE, reasonOf(signed(body().replace("wiki.mesh.alt", "mesh.alt"), OWNER)));
    assertEquals(
        NAME_OUTSIDE_ZONE,
        reasonOf(signed(body().replace("wiki.mesh.alt", "wikimesh.alt"), OWNER)));
  }

  @Test
  void acceptsNamesInAnyConfiguredZone() {
    String note = signed(body().replace("wiki.mesh.alt", "wiki.berlin.mesh"), OWNER);
    RecordRules rules = RecordRules.forZones(List.of("mesh.alt", "berlin.mesh"));
    assertEquals("wiki.berlin.mesh", rules.verify(note.getBytes(), NOW).record().name());
  }

  @Test
  void enforcesTheValidityPeriod() {
    long issued = NOW.minusSeconds(60).getEpochSecond();
    String b = body();
    String expiresLine = b.lines().filter(l -> l.startsWith("expires ")).findFirst().orElseThrow();
    assertEquals(
        LIFETIME_TOO_LONG,
        reasonOf(signed(b.replace(expiresLine, "expires " + (issued + 91 * 86400)), OWNER)));
    assertEquals(
        EXPIRES_BEFORE_ISSUED,
        reasonOf(signed(b.replace(expiresLine, "expires " + issued), OWNER)));

    SignedRecord r = RULES.verify(signed(b, OWNER).getBytes(), NOW);
    InvalidRecordException future =
        assertThrows(
            InvalidRecordException.class,
            () -> RULES.check(r.record(), NOW.minus(Duration.ofMinutes(10))));
    assertEquals(ISSUED_IN_FUTURE, future.reason());
    RULES.check(r.record(), NOW.minus(Duration.ofMinutes(4))); // within the clock skew
    InvalidRecordException expired =
        assertThrows(
            InvalidRecordException.class, () -> RULES.check(r.record(), r.record().expires()));
    assertEquals(EXPIRED, expired.reason());
  }

  @Test
  void normalisesNamesPeopleType() {
    assertEquals("wiki.mesh.alt", DnsNames.normalize("Wiki.Mesh.Alt."));
    assertEquals("xn--caf-dma.mesh.alt", DnsNames.normalize("café.mesh.alt"));
    assertEquals("xn--caf-dma.mesh.alt", DnsNames.normalize("CAFÉ.mesh.alt"));
    assertThrows(InvalidRecordException.class, () -> DnsNames.normalize("wi ki.mesh.alt"));
    assertThrows(InvalidRecordException.class, () -> DnsNames.normalize("_x.mesh.alt"));
  }

  @Test
  void refusesToSignWithAKeyThatIsNotTheRecords() {
    NameRecord r =
        NameRecord.builder()
            .name("wiki.mesh.alt")
            .key(OWNER.verifyingKey())
            .validity(NOW, Duration.ofDays(1))
            .build();
    assertThrows(IllegalArgumentException.class, () -> r.sign(OTHER));
  }

  @Test
  void verifiesABatchOnAllCoresKeepingOrder() {
    String good = signed(body(), OWNER);
    String bad = signed(body(), OTHER);
    List<byte[]> batch = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      batch.add((i % 3 == 0 ? bad : good).getBytes());
    }
    List<RecordCheck> results = RULES.verifyAll(batch, NOW);
    for (int i = 0; i < results.size(); i++) {
      if (i % 3 == 0) {
        assertEquals(
            BAD_SIGNATURE,
            assertInstanceOf(RecordCheck.Invalid.class, results.get(i)).error().reason());
      } else {
        assertInstanceOf(RecordCheck.Valid.class, results.get(i));
      }
    }
  }

  @Test
  void reasonCodesAreStable() {
    assertEquals("bad-signature", BAD_SIGNATURE.code());
    assertEquals("address-does-not-match-key", ADDRESS_MISMATCH.code());
    assertEquals("lifetime-over-90-days", LIFETIME_TOO_LONG.code());
  }
}
