package org.canopymesh.naming.report;

import static org.canopymesh.naming.report.InvalidReportException.Reason.ADDRESS_MISMATCH;
import static org.canopymesh.naming.report.InvalidReportException.Reason.BAD_SIGNATURE;
import static org.canopymesh.naming.report.InvalidReportException.Reason.DUPLICATE_FIELD;
import static org.canopymesh.naming.report.InvalidReportException.Reason.MALFORMED_FIELD;
import static org.canopymesh.naming.report.InvalidReportException.Reason.MALFORMED_NOTE;
import static org.canopymesh.naming.report.InvalidReportException.Reason.MISSING_FIELD;
import static org.canopymesh.naming.report.InvalidReportException.Reason.TOO_LARGE;
import static org.canopymesh.naming.report.InvalidReportException.Reason.TOO_MANY_LINES;
import static org.canopymesh.naming.report.InvalidReportException.Reason.UNSUPPORTED_FORMAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.canopymesh.naming.Fixtures;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.key.VerifyingKey;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.note.NoteKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReportNoteTest {
  static final SigningKey NODE = Fixtures.key("reporting node");
  static final SigningKey PEER_A = Fixtures.key("peer a");
  static final SigningKey PEER_B = Fixtures.key("peer b");
  static final SigningKey OTHER = Fixtures.key("other");
  static final String ADDRESS = OverlayAddress.forKey(NODE.verifyingKey()).toString();

  static ReportNote sample() {
    return new ReportNote(
        NODE.verifyingKey(),
        1_795_262_400_123L,
        Fixtures.NOW,
        Optional.of(Location.ofDegrees(52.52, 13.405)),
        Optional.of("Kreuzberg Süd"),
        List.of(
            new PeerLink(
                PEER_A.verifyingKey(),
                PeerKind.LOCAL,
                LinkState.UP,
                Optional.of(Duration.ofNanos(420_000)),
                Optional.of("tls://[fe80::1c2d:3eff:fe4f:5a6b%25eth0]:38247")),
            new PeerLink(
                PEER_B.verifyingKey(),
                PeerKind.OVERLAY,
                LinkState.DOWN,
                Optional.empty(),
                Optional.empty())),
        List.of(
            new L2Neighbour(
                MacAddress.parse("02:42:0a:22:00:03"),
                L2Protocol.BATMAN,
                250 / 255.0,
                Optional.empty()),
            new L2Neighbour(
                MacAddress.parse("02:42:0a:22:00:03"),
                L2Protocol.IEEE80211S,
                0.5,
                Optional.of(Duration.ofMillis(3)))),
        List.of(MacAddress.parse("02:42:0a:22:00:01")));
  }

  static String signed(String body, SigningKey key) {
    return Note.unsigned(body).sign(NoteKeys.signer(ADDRESS, key)).format();
  }

  static InvalidReportException.Reason reasonOf(String note) {
    return assertThrows(
            InvalidReportException.class,
            () -> SignedReport.parse(note.getBytes(StandardCharsets.UTF_8)))
        .reason();
  }

  static InvalidReportException.Reason reasonOfBody(String body) {
    return reasonOf(signed(body, NODE));
  }

  @Test
  void bodyHasTheLayoutOfTheDesign() {
    assertEquals(
        "canopy-report/v1\n"
            + "key "
            + NODE.verifyingKey().toHex()
            + "\n"
            + "addr "
            + ADDRESS
            + "\n"
            + "seq 1795262400123\n"
            + "time 1795262400\n"
            + "location 52.52 13.405\n"
            + "island Kreuzberg Süd\n"
            + "peer "
            + PEER_A.verifyingKey().toHex()
            + " local up 0.42 tls://[fe80::1c2d:3eff:fe4f:5a6b%25eth0]:38247\n"
            + "peer "
            + PEER_B.verifyingKey().toHex()
            + " overlay down - -\n"
            + "l2 02:42:0a:22:00:03 batman 0.98 -\n"
            + "l2 02:42:0a:22:00:03 80211s 0.5 3\n"
            + "mac 02:42:0a:22:00:01\n",
        sample().body());
  }

  @Test
  void formatsSignsAndParsesBackToTheSameReport() {
    SignedReport signed = sample().sign(NODE);
    SignedReport parsed = SignedReport.parse(signed.encoded());
    assertEquals(sample(), parsed.report());
    assertEquals(signed, parsed);
    assertEquals(sample().body(), parsed.note().text());
    assertArrayEquals(signed.encoded(), parsed.encoded());
  }

  @Test
  void signatureVerifiesWithTheNoteLibraryUnderTheNodeAddress() {
    Note note = Note.parse(sample().sign(NODE).format());
    assertEquals(1, note.signatures().size());
    assertEquals(ADDRESS, note.signatures().get(0).keyName());
    assertEquals(1, note.verify(List.of(NoteKeys.verifier(ADDRESS, NODE.verifyingKey()))).size());
  }

  @Test
  void aTamperedReportFailsItsSignature() {
    String good = sample().sign(NODE).format();
    String tampered = good.replace(" local up 0.42 ", " local up 0.41 ");
    assertFalse(good.equals(tampered));
    assertEquals(BAD_SIGNATURE, reasonOf(tampered));
    assertEquals(BAD_SIGNATURE, reasonOf(signed(sample().body(), OTHER)));
  }

  @Test
  void anAddressThatIsNotTheKeysIsRefused() {
    String body =
        sample()
            .body()
            .replace("addr " + ADDRESS, "addr " + OverlayAddress.forKey(OTHER.verifyingKey()));
    assertEquals(ADDRESS_MISMATCH, reasonOfBody(body));
  }

  @Test
  void onlyTheReportsOwnKeySigns() {
    assertThrows(IllegalArgumentException.class, () -> sample().sign(OTHER));
  }

  @Test
  void minimalReportHasOnlyTheFourFields() {
    ReportNote r =
        new ReportNote(
            NODE.verifyingKey(),
            0,
            Instant.EPOCH,
            Optional.empty(),
            Optional.empty(),
            List.of(),
            List.of(),
            List.of());
    assertEquals(5, r.body().split("\n").length);
    assertEquals(r, SignedReport.parse(r.sign(NODE).format()).report());
  }

  @Test
  void linesOfUnknownTypesAreSkippedWhereverTheyAppear() {
    String body =
        sample()
            .body()
            .replace("time 1795262400\n", "time 1795262400\nuptime 1234\n")
            .replace("mac ", "battery 87%\nmac ")
            .concat("future-line with anything: 1 2 3\n");
    SignedReport r = SignedReport.parse(signed(body, NODE));
    assertEquals(sample(), r.report());
    assertEquals(body, r.note().text());
  }

  @Test
  void fieldsOutOfOrderTwiceOrMissingAreRefused() {
    String body = sample().body();
    String[] lines = body.split("\n");
    String swapped = body.replace(lines[3] + "\n" + lines[4], lines[4] + "\n" + lines[3]);
    assertEquals(MALFORMED_FIELD, reasonOfBody(swapped));
    assertEquals(DUPLICATE_FIELD, reasonOfBody(body.replace(lines[4], lines[4] + "\n" + lines[4])));
    assertEquals(MISSING_FIELD, reasonOfBody(body.replace(lines[4] + "\n", "")));
    String macFirst =
        body.replace("mac 02:42:0a:22:00:01\n", "")
            .replaceFirst("l2 ", "mac 02:42:0a:22:00:01\nl2 ");
    assertEquals(MALFORMED_FIELD, reasonOfBody(macFirst));
    assertEquals(
        UNSUPPORTED_FORMAT, reasonOfBody(body.replace("canopy-report/v1", "canopy-report/v2")));
    assertEquals(MALFORMED_FIELD, reasonOfBody(body.replace("\nmac ", "\n\nmac ")));
    assertEquals(MALFORMED_FIELD, reasonOfBody(body.replace("\nmac ", "\nMAC ")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        " local up 0.420 ", // trailing zero
        " local up 00.42 ", // leading zero
        " local up .42 ",
        " local up 0.4201 ", // more than microseconds
        " local up -1 ",
        " local up 1e3 ",
        " local up 10000001 ", // over the bound
        " local UP 0.42 ",
        " lan up 0.42 ",
        " local  up 0.42 ",
      })
  void peerLinesHaveOneSpelling(String variant) {
    String body = sample().body().replace(" local up 0.42 ", variant);
    assertEquals(MALFORMED_FIELD, reasonOfBody(body));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "l2 02:42:0a:22:00:03 80211s 0.50 3",
        "l2 02:42:0a:22:00:03 80211s 1.001 3",
        "l2 02:42:0a:22:00:03 80211s -0.5 3",
        "l2 02:42:0A:22:00:03 80211s 0.5 3",
        "l2 03:42:0a:22:00:03 80211s 0.5 3", // a group address
        "l2 00:00:00:00:00:00 80211s 0.5 3",
        "l2 02:42:0a:22:00:03 wifi 0.5 3",
        "l2 02:42:0a:22:00:03 80211s 0.5",
        "l2 xx:xx:xx:xx:xx:xx 80211s 0.5 3",
      })
  void l2LinesHaveOneSpelling(String variant) {
    String body = sample().body().replace("l2 02:42:0a:22:00:03 80211s 0.5 3", variant);
    assertEquals(MALFORMED_FIELD, reasonOfBody(body));
  }

  @ParameterizedTest
  @ValueSource(strings = {"52.520 13.405", "-0 13.405", "90.0000001 0", "52.52", "52.52 13.405 1"})
  void locationsHaveOneSpellingAndARange(String variant) {
    String body = sample().body().replace("location 52.52 13.405", "location " + variant);
    assertEquals(MALFORMED_FIELD, reasonOfBody(body));
  }

  @Test
  void numbersFormatExactly() {
    assertEquals("-33.8688 151.2093", Location.ofDegrees(-33.8688, 151.2093).line());
    assertEquals("0 -180", Location.ofDegrees(0, -180).line());
    PeerLink p =
        new PeerLink(
            PEER_A.verifyingKey(),
            PeerKind.OVERLAY,
            LinkState.UP,
            Optional.of(Duration.ofNanos(18_370_999)), // truncated to whole microseconds
            Optional.empty());
    assertTrue(p.line().endsWith(" overlay up 18.37 -"), p.line());
    assertEquals(Optional.of(Duration.ofNanos(18_370_000)), p.latency());
    L2Neighbour n =
        new L2Neighbour(
            MacAddress.parseAnyCase("C0:4A:00:BE:7B:09"), L2Protocol.BATMAN, 1, Optional.empty());
    assertEquals("l2 c0:4a:00:be:7b:09 batman 1 -", n.line());
  }

  @Test
  void sameAddressMayBeANeighbourOnBothMeshesButOnlyOnceOnEach() {
    // batman-adv over an 802.11s interface sees the same station twice.
    ReportNote r = sample();
    assertEquals(2, r.neighbours().size());
    String body =
        r.body().replace("l2 02:42:0a:22:00:03 80211s 0.5 3", "l2 02:42:0a:22:00:03 batman 0.5 3");
    assertEquals(DUPLICATE_FIELD, reasonOfBody(body));
    assertEquals(
        DUPLICATE_FIELD,
        reasonOfBody(
            r.body()
                .replace(
                    "mac 02:42:0a:22:00:01\n", "mac 02:42:0a:22:00:01\nmac 02:42:0a:22:00:01\n")));
  }

  @Test
  void countsAreBoundedWhenBuiltAndWhenParsed() {
    List<PeerLink> peers = peers(ReportNote.MAX_PEERS + 1, Optional.empty());
    InvalidReportException e = assertThrows(InvalidReportException.class, () -> withPeers(peers));
    assertEquals(TOO_MANY_LINES, e.reason());

    StringBuilder body = new StringBuilder(withPeers(peers.subList(0, 1)).body());
    for (PeerLink p : peers.subList(1, peers.size())) {
      body.append(p.line()).append('\n');
    }
    // The peer lines now follow nothing but peer lines, all in order: only the count is wrong.
    String reordered = body.toString();
    assertEquals(TOO_MANY_LINES, reasonOfBody(reordered));
    assertEquals(
        ReportNote.MAX_PEERS, withPeers(peers.subList(0, ReportNote.MAX_PEERS)).peers().size());
  }

  @Test
  void sizeIsBoundedAndFittingDropsTheLastPeersFirst() {
    String longRemote = "tls://" + "r".repeat(PeerLink.MAX_REMOTE_LENGTH - 14) + ".net:443";
    assertEquals(PeerLink.MAX_REMOTE_LENGTH, longRemote.length());
    List<PeerLink> peers = peers(ReportNote.MAX_PEERS, Optional.of(longRemote));
    List<L2Neighbour> neighbours = new ArrayList<>();
    for (int i = 0; i < ReportNote.MAX_NEIGHBOURS; i++) {
      neighbours.add(
          new L2Neighbour(
              new MacAddress(0x020000000000L + i),
              L2Protocol.IEEE80211S,
              0.123,
              Optional.of(Duration.ofNanos(1_234_567_000L))));
    }
    InvalidReportException tooLarge =
        assertThrows(
            InvalidReportException.class,
            () ->
                new ReportNote(
                    NODE.verifyingKey(),
                    1,
                    Fixtures.NOW,
                    Optional.empty(),
                    Optional.empty(),
                    peers,
                    neighbours,
                    List.of()));
    assertEquals(TOO_LARGE, tooLarge.reason());

    ReportNote fit =
        ReportNote.fitting(
            NODE.verifyingKey(),
            1,
            Fixtures.NOW,
            Optional.empty(),
            Optional.empty(),
            peers,
            neighbours,
            List.of());
    assertEquals(peers.subList(0, fit.peers().size()), fit.peers());
    assertTrue(fit.peers().size() < ReportNote.MAX_PEERS && fit.peers().size() > 200);
    assertEquals(neighbours, fit.neighbours());
    byte[] encoded = fit.sign(NODE).encoded();
    assertTrue(encoded.length <= ReportNote.MAX_BYTES, "" + encoded.length);
    assertEquals(fit, SignedReport.parse(encoded).report());
  }

  @Test
  void hostileNotesAreRefusedBeforeTheirFieldsAreRead() {
    assertEquals(TOO_LARGE, reasonOf("x".repeat(ReportNote.MAX_BYTES + 1)));
    assertEquals(MALFORMED_NOTE, reasonOf(sample().body()));
    assertEquals(MALFORMED_NOTE, reasonOf(signed(sample().body(), NODE).replace("\u2014", "-")));
    StringBuilder lines = new StringBuilder(sample().body());
    for (int i = 0; i < 1100; i++) {
      lines.append("x\n");
    }
    assertEquals(MALFORMED_NOTE, reasonOfBody(lines.toString()));
  }

  @Test
  void islandsAreShortPrintableAndTrimmed() {
    for (String bad : List.of("", " edge", "edge ", "tab\there", "x".repeat(65))) {
      assertThrows(
          InvalidReportException.class,
          () ->
              new ReportNote(
                  NODE.verifyingKey(),
                  1,
                  Fixtures.NOW,
                  Optional.empty(),
                  Optional.of(bad),
                  List.of(),
                  List.of(),
                  List.of()),
          bad);
    }
  }

  @Test
  void laterReportsHaveHigherSequenceNumbersComparedUnsigned() {
    ReportNote a = sample();
    ReportNote b =
        new ReportNote(
            a.key(), -1L, a.time(), a.location(), a.island(), a.peers(), a.neighbours(), a.macs());
    assertTrue(a.isFollowedBy(b));
    assertFalse(b.isFollowedBy(a));
    assertTrue(b.body().contains("seq 18446744073709551615\n"));
    assertEquals(b, SignedReport.parse(b.sign(NODE).format()).report());
  }

  static ReportNote withPeers(List<PeerLink> peers) {
    return new ReportNote(
        NODE.verifyingKey(),
        1,
        Fixtures.NOW,
        Optional.empty(),
        Optional.empty(),
        peers,
        List.of(),
        List.of());
  }

  static List<PeerLink> peers(int n, Optional<String> remote) {
    List<PeerLink> peers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      VerifyingKey k = Fixtures.key("peer " + i).verifyingKey();
      peers.add(
          new PeerLink(
              k,
              PeerKind.OVERLAY,
              LinkState.UP,
              Optional.of(Duration.ofMillis(9_999_999)),
              remote));
    }
    return peers;
  }
}
