package org.canopymesh.agent.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.canopymesh.agent.names.NameSource;
import org.canopymesh.agent.names.ServedName;
import org.canopymesh.naming.address.MeshipName;
import org.canopymesh.naming.address.OverlayAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server as a resolver sees it: every behaviour checked with Knot's kdig, over UDP and TCP, on
 * 127.0.0.1 and ::1 with ephemeral ports.
 */
class DnsServerIT {
  private static final int NOERROR = 0;
  private static final int SERVFAIL = 2;
  private static final int NXDOMAIN = 3;
  private static final int REFUSED = 5;
  private static final OverlayAddress UPSTREAM_WWW = OverlayAddress.parse("200:abcd::80");

  private static DnsServer authority;
  private static DnsServer upstream;
  private static DnsServer forwarding;
  private static DatagramSocket silent;
  private static DnsServer forwardingToSilence;

  @BeforeAll
  static void start() throws IOException {
    Kdig.binary(); // fails with the install hint before anything starts
    List<InetSocketAddress> loopbacks =
        List.of(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("::1", 0));
    NameSource names = TestNames.source();
    authority =
        DnsServer.start(
            DnsSettings.of(loopbacks, List.of("Mesh.Alt."), Optional.empty()),
            () -> names,
            TestNames.CLOCK);
    NameSource upstreamNames =
        NameSource.of(
            List.of(
                new ServedName(
                    "www.example.test",
                    UPSTREAM_WWW,
                    List.of(),
                    List.of(),
                    TestNames.NOW.plus(Duration.ofDays(1)))));
    upstream =
        DnsServer.start(
            DnsSettings.of(
                List.of(new InetSocketAddress("127.0.0.1", 0)),
                List.of("example.test"),
                Optional.empty()),
            () -> upstreamNames,
            TestNames.CLOCK);
    forwarding =
        DnsServer.start(
            DnsSettings.of(
                loopbacks, List.of("mesh.alt"), Optional.of(upstream.udpAddresses().get(0))),
            () -> names,
            TestNames.CLOCK);
    silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    forwardingToSilence =
        DnsServer.start(
            DnsSettings.of(
                loopbacks,
                List.of("mesh.alt"),
                Optional.of((InetSocketAddress) silent.getLocalSocketAddress())),
            () -> names,
            TestNames.CLOCK);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c :
        new AutoCloseable[] {authority, forwarding, upstream, forwardingToSilence}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    }
    if (silent != null) {
      silent.close();
    }
  }

  /** One answer, and where and how it was asked. */
  record Asked(String how, Kdig.Result result) {
    @Override
    public String toString() {
      return how + ": " + result;
    }
  }

  /** Asks {@code server} on each of its addresses, over UDP and over TCP. */
  private static List<Asked> everywhere(
      DnsServer server, String name, String type, String... options) throws Exception {
    List<Asked> out = new ArrayList<>();
    for (InetSocketAddress a : server.udpAddresses()) {
      for (boolean tcp : new boolean[] {false, true}) {
        String how = (tcp ? "TCP " : "UDP ") + DnsBindException.text(a) + " " + name + " " + type;
        out.add(new Asked(how, Kdig.query(a, tcp, name, type, options)));
      }
    }
    assertEquals(4, out.size(), "127.0.0.1 and ::1, UDP and TCP");
    return out;
  }

  private static List<Asked> everywhere(String name, String type, String... options)
      throws Exception {
    return everywhere(authority, name, type, options);
  }

  private static void assertNxDomainWithSoa(Asked a, String apex) {
    assertEquals(NXDOMAIN, a.result().rcode(), a::toString);
    assertTrue(a.result().aa(), a::toString);
    assertTrue(a.result().answers().isEmpty(), a::toString);
    assertSoaInAuthority(a, apex);
  }

  private static void assertNoData(Asked a, String apex) {
    assertEquals(NOERROR, a.result().rcode(), a::toString);
    assertTrue(a.result().aa(), a::toString);
    assertTrue(a.result().answers().isEmpty(), a::toString);
    assertSoaInAuthority(a, apex);
  }

  private static void assertSoaInAuthority(Asked a, String apex) {
    List<Map<String, Object>> soa = a.result().of(a.result().authority(), "SOA");
    assertEquals(1, soa.size(), a::toString);
    assertEquals(apex, soa.get(0).get("NAME"), a::toString);
    assertEquals(60L, soa.get(0).get("TTL"), "negative TTL: " + a);
    assertTrue(((String) soa.get(0).get("rdataSOA")).endsWith(" 3600 600 86400 60"), a::toString);
  }

  private static Map<String, Object> onlyAnswer(Asked a, String type) {
    assertEquals(NOERROR, a.result().rcode(), a::toString);
    assertEquals(1, a.result().answers().size(), a::toString);
    Map<String, Object> rr = a.result().answers().get(0);
    assertEquals(type, rr.get("TYPEname"), a::toString);
    return rr;
  }

  @Test
  void aaaaOfANameIsItsOwnersAddressAuthoritatively() throws Exception {
    for (Asked a : everywhere("wiki.mesh.alt", "AAAA")) {
      Map<String, Object> rr = onlyAnswer(a, "AAAA");
      assertTrue(a.result().aa(), a::toString);
      assertFalse(a.result().tc(), a::toString);
      assertEquals("wiki.mesh.alt.", rr.get("NAME"), a::toString);
      assertEquals(TestNames.WIKI.toString(), rr.get("rdataAAAA"), a::toString);
      assertEquals(300L, rr.get("TTL"), "maxTtl caps a name valid for a day: " + a);
    }
  }

  @Test
  void namesMatchInAnyLetterCase() throws Exception {
    for (Asked a : everywhere("WiKi.Mesh.ALT", "AAAA")) {
      assertEquals(TestNames.WIKI.toString(), onlyAnswer(a, "AAAA").get("rdataAAAA"), a::toString);
    }
  }

  @Test
  void ttlIsTheTimeLeftBeforeTheRecordExpires() throws Exception {
    for (Asked a : everywhere("soon.mesh.alt", "AAAA")) {
      assertEquals(42L, onlyAnswer(a, "AAAA").get("TTL"), a::toString);
    }
  }

  @Test
  void txtAnswersEachTextAsOneString() throws Exception {
    for (Asked a : everywhere("wiki.mesh.alt", "TXT")) {
      assertTrue(a.result().aa(), a::toString);
      List<Object> texts =
          a.result().answers().stream()
              .map(r -> r.get("rdataTXT"))
              .map(Object.class::cast)
              .toList();
      assertEquals(List.of("\"hello wiki\"", "\"v=2 a text with spaces\""), texts, a::toString);
    }
  }

  @Test
  void srvPointsAtTheNameAndCarriesItsAddressAsAdditionalData() throws Exception {
    for (Asked a : everywhere("_http._tcp.wiki.mesh.alt", "SRV")) {
      assertTrue(a.result().aa(), a::toString);
      List<Object> srv =
          a.result().answers().stream()
              .map(r -> r.get("rdataSRV"))
              .map(Object.class::cast)
              .toList();
      assertEquals(List.of("0 0 80 wiki.mesh.alt.", "0 0 8080 wiki.mesh.alt."), srv, a::toString);
      List<Map<String, Object>> glue = a.result().of(a.result().additional(), "AAAA");
      assertEquals(1, glue.size(), a::toString);
      assertEquals("wiki.mesh.alt.", glue.get(0).get("NAME"), a::toString);
      assertEquals(TestNames.WIKI.toString(), glue.get(0).get("rdataAAAA"), a::toString);
    }
  }

  @Test
  void servicesTheNameDoesNotOfferDoNotExist() throws Exception {
    for (String name :
        List.of(
            "_ssh._tcp.wiki.mesh.alt", "_http._udp.wiki.mesh.alt", "_http._tcp.nope.mesh.alt")) {
      for (Asked a : everywhere(name, "SRV")) {
        assertNxDomainWithSoa(a, "mesh.alt.");
      }
    }
    for (Asked a : everywhere("_tcp.wiki.mesh.alt", "SRV")) {
      assertNoData(a, "mesh.alt."); // an empty non-terminal above _http._tcp
    }
  }

  @Test
  void otherTypesOfAnExistingNameAreNoDataWithTheSoa() throws Exception {
    for (String type : List.of("A", "MX", "SRV", "NS")) {
      for (Asked a : everywhere("wiki.mesh.alt", type)) {
        assertNoData(a, "mesh.alt.");
      }
    }
    for (Asked a : everywhere("soon.mesh.alt", "TXT")) {
      assertNoData(a, "mesh.alt."); // no texts
    }
  }

  @Test
  void missingNamesAreNxDomainWithTheZonesSoa() throws Exception {
    for (Asked a : everywhere("nope.mesh.alt", "AAAA")) {
      assertNxDomainWithSoa(a, "mesh.alt.");
    }
    for (Asked a : everywhere("deeper.wiki.mesh.alt", "AAAA")) {
      assertNxDomainWithSoa(a, "mesh.alt.");
    }
  }

  @Test
  void contestedNamesDoNotResolve() throws Exception {
    for (Asked a : everywhere("disputed.mesh.alt", "AAAA")) {
      assertNxDomainWithSoa(a, "mesh.alt.");
    }
  }

  @Test
  void expiredNamesDoNotResolve() throws Exception {
    for (Asked a : everywhere("gone.mesh.alt", "AAAA")) {
      assertNxDomainWithSoa(a, "mesh.alt.");
    }
  }

  @Test
  void theZoneApexAnswersSoaAndNothingElse() throws Exception {
    for (Asked a : everywhere("mesh.alt", "SOA")) {
      Map<String, Object> soa = onlyAnswer(a, "SOA");
      assertTrue(a.result().aa(), a::toString);
      String serial = Long.toString(TestNames.NOW.getEpochSecond());
      assertEquals(
          "mesh.alt. hostmaster.mesh.alt. " + serial + " 3600 600 86400 60",
          soa.get("rdataSOA"),
          a::toString);
    }
    for (Asked a : everywhere("mesh.alt", "AAAA")) {
      assertNoData(a, "mesh.alt.");
    }
    for (Asked a : everywhere("meship", "SOA")) {
      assertEquals("meship.", onlyAnswer(a, "SOA").get("NAME"), a::toString);
    }
  }

  @Test
  void anyGetsTheAddressAloneAsRfc8482Allows() throws Exception {
    for (Asked a : everywhere("wiki.mesh.alt", "ANY")) {
      assertEquals(TestNames.WIKI.toString(), onlyAnswer(a, "AAAA").get("rdataAAAA"), a::toString);
      assertTrue(a.result().aa(), a::toString);
    }
  }

  @Test
  void meshipNamesDecodeToTheirAddressWithTheLongestTtl() throws Exception {
    String name = MeshipName.of(TestNames.NAMELESS).toString();
    for (Asked a : everywhere(name.toUpperCase(java.util.Locale.ROOT), "AAAA")) {
      Map<String, Object> rr = onlyAnswer(a, "AAAA");
      assertTrue(a.result().aa(), a::toString);
      assertEquals(TestNames.NAMELESS.toString(), rr.get("rdataAAAA"), a::toString);
      assertEquals(300L, rr.get("TTL"), a::toString);
    }
    for (Asked a : everywhere(name, "TXT")) {
      assertNoData(a, "meship.");
    }
  }

  @Test
  void invalidMeshipSpellingsAreNxDomain() throws Exception {
    String label = MeshipName.of(TestNames.NAMELESS).label();
    char last = label.charAt(25);
    // The last character carries 3 bits: the next letter sets an unused bit.
    String nonCanonical = label.substring(0, 25) + (char) (last + 1);
    List<String> invalid =
        List.of(
            nonCanonical + ".meship",
            label.substring(1) + ".meship",
            label + "a.meship",
            "a".repeat(26) + ".meship", // ::, not an overlay address
            "x." + label + ".meship");
    for (String name : invalid) {
      for (Asked a : everywhere(name, "AAAA")) {
        assertNxDomainWithSoa(a, "meship.");
      }
    }
  }

  @Test
  void ptrOfANamedAddressIsTheOwnersName() throws Exception {
    for (Asked a : everywhere(TestNames.reverse(TestNames.WIKI), "PTR")) {
      Map<String, Object> rr = onlyAnswer(a, "PTR");
      assertTrue(a.result().aa(), a::toString);
      assertEquals("wiki.mesh.alt.", rr.get("rdataPTR"), a::toString);
      assertEquals(300L, rr.get("TTL"), a::toString);
    }
    for (Asked a : everywhere(TestNames.reverse(TestNames.SOON), "PTR")) {
      assertEquals(42L, onlyAnswer(a, "PTR").get("TTL"), "the name's own TTL: " + a);
    }
  }

  @Test
  void ptrOfANodeAddressWithoutANameIsItsMeshipName() throws Exception {
    for (OverlayAddress address : List.of(TestNames.NAMELESS, TestNames.GONE)) {
      for (Asked a : everywhere(TestNames.reverse(address), "PTR")) {
        assertEquals(
            MeshipName.of(address) + ".", onlyAnswer(a, "PTR").get("rdataPTR"), a::toString);
      }
    }
  }

  @Test
  void ptrOfOtherOverlayNamesIsNxDomainOrNoData() throws Exception {
    for (Asked a : everywhere(TestNames.reverse(TestNames.SUBNET_HOST), "PTR")) {
      assertNxDomainWithSoa(a, "3.0.ip6.arpa."); // a /64 host without a name
    }
    for (Asked a : everywhere("0.2.0.ip6.arpa", "PTR")) {
      assertNoData(a, "2.0.ip6.arpa."); // not a whole address: an empty non-terminal
    }
    for (Asked a : everywhere("x." + TestNames.reverse(TestNames.WIKI), "PTR")) {
      assertNxDomainWithSoa(a, "2.0.ip6.arpa.");
    }
  }

  @Test
  void namesThatAreNotOursAreRefused() throws Exception {
    for (String name : List.of("example.org", "1.0.0.127.in-addr.arpa", reverseOutside())) {
      for (Asked a : everywhere(name, "PTR")) {
        assertEquals(REFUSED, a.result().rcode(), a::toString);
        assertFalse(a.result().aa(), a::toString);
        assertTrue(a.result().answers().isEmpty(), a::toString);
      }
    }
  }

  /** The PTR name of 2001:db8::1, outside 200::/7. */
  private static String reverseOutside() {
    return "1." + "0.".repeat(23) + "8.b.d.0.1.0.0.2.ip6.arpa";
  }

  @Test
  void namesThatAreNotOursGoToTheUpstreamWhenThereIsOne() throws Exception {
    long before = forwarding.counters().forwarded();
    for (Asked a : everywhere(forwarding, "www.example.test", "AAAA")) {
      Map<String, Object> rr = onlyAnswer(a, "AAAA");
      assertEquals("www.example.test.", rr.get("NAME"), a::toString);
      assertEquals(UPSTREAM_WWW.toString(), rr.get("rdataAAAA"), a::toString);
      assertTrue(a.result().aa(), "the upstream's own flags: " + a);
    }
    for (Asked a : everywhere(forwarding, reverseOutside(), "PTR")) {
      assertEquals(REFUSED, a.result().rcode(), "the upstream's answer: " + a);
    }
    assertEquals(8, forwarding.counters().forwarded() - before);
    for (Asked a : everywhere(forwarding, "wiki.mesh.alt", "AAAA")) {
      assertEquals(TestNames.WIKI.toString(), onlyAnswer(a, "AAAA").get("rdataAAAA"), a::toString);
    }
    assertEquals(8, forwarding.counters().forwarded() - before, "our own names stay ours");
  }

  @Test
  void anUpstreamThatDoesNotAnswerGivesServFail() throws Exception {
    // Four 2-second timeouts at once rather than one after the other.
    List<CompletableFuture<Asked>> asked = new ArrayList<>();
    for (InetSocketAddress a : forwardingToSilence.udpAddresses()) {
      for (boolean tcp : new boolean[] {false, true}) {
        asked.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return new Asked(
                        (tcp ? "TCP " : "UDP ") + a, Kdig.query(a, tcp, "example.org", "A"));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
    }
    Instant start = Instant.now();
    for (CompletableFuture<Asked> f : asked) {
      Asked a = f.join();
      assertEquals(SERVFAIL, a.result().rcode(), a::toString);
    }
    Duration took = Duration.between(start, Instant.now());
    assertTrue(took.compareTo(Duration.ofMillis(1500)) > 0, "after the 2 s timeout: " + took);
  }

  @Test
  void ednsPayloadSizeIsHonouredUpTo1232AndOptIsEchoed() throws Exception {
    // medium.mesh.alt: three 255-byte texts, about 860 bytes.
    for (InetSocketAddress server : authority.udpAddresses()) {
      Kdig.Result plain = Kdig.query(server, false, "medium.mesh.alt", "TXT", "+ignore");
      assertTrue(plain.tc(), "512 bytes without EDNS: " + plain);
      assertTrue(plain.answers().isEmpty(), plain::toString);
      assertTrue(plain.of(plain.additional(), "OPT").isEmpty(), "no OPT when none was sent");

      Kdig.Result small =
          Kdig.query(server, false, "medium.mesh.alt", "TXT", "+ignore", "+bufsize=600");
      assertTrue(small.tc(), small::toString);
      assertEquals(1, small.of(small.additional(), "OPT").size(), small::toString);

      Kdig.Result tiny = Kdig.query(server, false, "wiki.mesh.alt", "AAAA", "+bufsize=100");
      assertFalse(tiny.tc(), "below 512 counts as 512: " + tiny);

      Kdig.Result fits =
          Kdig.query(server, false, "medium.mesh.alt", "TXT", "+ignore", "+bufsize=1232");
      assertFalse(fits.tc(), fits::toString);
      assertEquals(3, fits.answers().size(), fits::toString);
      List<Map<String, Object>> opt = fits.of(fits.additional(), "OPT");
      assertEquals(1, opt.size(), fits::toString);
      assertEquals(1232L, opt.get(0).get("CLASS"), "our payload size: " + fits);
      assertTrue((Long) fits.json().get("msgLength") <= 1232, fits::toString);
    }
  }

  @Test
  void anAnswerTooBigForUdpIsTruncatedAndComesWholeOverTcp() throws Exception {
    for (InetSocketAddress server : authority.udpAddresses()) {
      // Sixteen 255-byte texts: about 4.3 kB, over the 1232 cap even when the client takes 4096.
      Kdig.Result udp =
          Kdig.query(server, false, "big.mesh.alt", "TXT", "+ignore", "+bufsize=4096");
      assertTrue(udp.tc(), udp::toString);
      assertTrue(udp.aa(), udp::toString);
      assertTrue(udp.answers().isEmpty(), "an empty answer section: " + udp);
      assertTrue((Long) udp.json().get("msgLength") <= 1232, udp::toString);

      Kdig.Result retried = Kdig.query(server, false, "big.mesh.alt", "TXT");
      assertFalse(retried.tc(), "kdig retried over TCP: " + retried);
      assertEquals(16, retried.answers().size(), retried::toString);

      Kdig.Result tcp = Kdig.query(server, true, "big.mesh.alt", "TXT");
      assertEquals(16, tcp.answers().size(), tcp::toString);
      for (Map<String, Object> rr : tcp.answers()) {
        assertEquals("\"" + TestNames.LONG_TEXT + "\"", rr.get("rdataTXT"));
      }
    }
    assertTrue(authority.counters().truncated() > 0);
    assertTrue(authority.counters().tcpQueries() > 0);
  }

  @Test
  void theServerListensOnBothLoopbacksWithTheSamePortForUdpAndTcp() {
    assertEquals(2, authority.udpAddresses().size());
    for (int i = 0; i < 2; i++) {
      InetSocketAddress udp = authority.udpAddresses().get(i);
      InetSocketAddress tcp = authority.tcpAddresses().get(i);
      assertTrue(udp.getPort() > 0);
      assertEquals(udp.getPort(), tcp.getPort());
    }
    assertEquals(InetAddress.getLoopbackAddress(), authority.udpAddresses().get(0).getAddress());
  }
}
