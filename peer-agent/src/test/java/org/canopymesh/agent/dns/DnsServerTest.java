package org.canopymesh.agent.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.canopymesh.agent.names.NameSource;
import org.junit.jupiter.api.Test;

/** The server over real loopback sockets, asked with hand-built packets. */
class DnsServerTest {
  private static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);
  private static final NameSource NAMES = TestNames.source();

  private static DnsServer start(DnsSettings settings) {
    return DnsServer.start(settings, () -> NAMES, TestNames.CLOCK);
  }

  private static DnsSettings settings(InetSocketAddress listen) {
    return DnsSettings.of(List.of(listen), List.of("mesh.alt"), Optional.empty());
  }

  private static byte[] udp(DatagramSocket s, InetSocketAddress server, byte[] query)
      throws IOException {
    s.send(new DatagramPacket(query, query.length, server));
    return receive(s);
  }

  private static byte[] receive(DatagramSocket s) throws IOException {
    byte[] buf = new byte[65535];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    s.receive(p);
    return Arrays.copyOf(buf, p.getLength());
  }

  private static DatagramSocket client(String address) throws IOException {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, 0));
    s.setSoTimeout(5000);
    return s;
  }

  private static byte[] tcp(InetSocketAddress server, byte[] query) throws IOException {
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      s.setSoTimeout(5000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(query.length);
      out.write(query);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] answer = new byte[in.readUnsignedShort()];
      in.readFully(answer);
      return answer;
    }
  }

  private static void waitFor(BooleanSupplier condition, String what) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void answersKeepTheSpellingOfTheQuestionOverUdpAndTcp() throws Exception {
    try (DnsServer server = start(settings(ANY_PORT));
        DatagramSocket s = client("127.0.0.1")) {
      InetSocketAddress udpAddress = server.udpAddresses().get(0);
      byte[] aaaa = Wire.query(7, "WiKi.Mesh.ALT", Wire.AAAA);
      byte[] srv = Wire.query(8, "_HTTP._Tcp.WIKI.mesh.ALT", Wire.SRV);
      byte[] missing = Wire.query(9, "NoPe.MESH.alt", Wire.AAAA);
      for (boolean overTcp : new boolean[] {false, true}) {
        DnsResponse r =
            Wire.decode(
                overTcp ? tcp(server.tcpAddresses().get(0), aaaa) : udp(s, udpAddress, aaaa));
        try {
          assertEquals(7, r.id());
          assertEquals("WiKi.Mesh.ALT.", r.recordAt(DnsSection.QUESTION).name());
          assertEquals("WiKi.Mesh.ALT.", r.recordAt(DnsSection.ANSWER).name());
          assertTrue(r.isAuthoritativeAnswer());
        } finally {
          r.release();
        }
        r = Wire.decode(overTcp ? tcp(server.tcpAddresses().get(0), srv) : udp(s, udpAddress, srv));
        try {
          assertEquals(2, r.count(DnsSection.ANSWER));
          assertEquals("_HTTP._Tcp.WIKI.mesh.ALT.", r.recordAt(DnsSection.ANSWER).name());
          assertEquals("WIKI.mesh.ALT.", r.recordAt(DnsSection.ADDITIONAL).name());
        } finally {
          r.release();
        }
        r =
            Wire.decode(
                overTcp ? tcp(server.tcpAddresses().get(0), missing) : udp(s, udpAddress, missing));
        try {
          assertEquals(DnsResponseCode.NXDOMAIN, r.code());
          assertEquals("MESH.alt.", r.recordAt(DnsSection.AUTHORITY).name());
        } finally {
          r.release();
        }
      }
    }
  }

  @Test
  void bothTransportsServeUdpAndTcpOnBothLoopbacks() throws Exception {
    assertTrue(Transport.best() == Transport.EPOLL, "this Linux machine has native epoll");
    DnsSettings both =
        DnsSettings.of(
            List.of(ANY_PORT, new InetSocketAddress("::1", 0)),
            List.of("mesh.alt"),
            Optional.empty());
    for (Transport t : Transport.values()) {
      try (DnsServer server = DnsServer.start(both, () -> NAMES, TestNames.CLOCK, t);
          DatagramSocket s = new DatagramSocket()) {
        s.setSoTimeout(5000);
        for (int i = 0; i < 2; i++) {
          byte[] q = Wire.query(i, "wiki.mesh.alt", Wire.AAAA);
          assertRcode(udp(s, server.udpAddresses().get(i), q), i, DnsResponseCode.NOERROR);
          assertRcode(tcp(server.tcpAddresses().get(i), q), i, DnsResponseCode.NOERROR);
        }
      }
    }
  }

  @Test
  void forwardedAnswersCountOnlyFromTheUpstreamForTheQuestionAskedWithTheClientsId()
      throws Exception {
    try (DatagramSocket upstream = client("127.0.0.1");
        DatagramSocket spoofer = client("127.0.0.1");
        DnsServer server =
            start(
                DnsSettings.of(
                    List.of(ANY_PORT),
                    List.of("mesh.alt"),
                    Optional.of((InetSocketAddress) upstream.getLocalSocketAddress())));
        DatagramSocket s = client("127.0.0.1")) {
      byte[] q = Wire.query(4242, "www.example.org", Wire.AAAA);
      s.send(new DatagramPacket(q, q.length, server.udpAddresses().get(0)));

      byte[] buf = new byte[512];
      DatagramPacket forwarded = new DatagramPacket(buf, buf.length);
      upstream.receive(forwarded);
      byte[] relayed = Arrays.copyOf(buf, forwarded.getLength());
      assertEquals(q.length, relayed.length);
      assertTrue(Arrays.equals(q, 2, q.length, relayed, 2, q.length), "the query, a new ID");
      InetSocketAddress forwarder = (InetSocketAddress) forwarded.getSocketAddress();

      byte[] answer = relayed.clone();
      answer[2] |= (byte) 0x80; // QR: an (empty) answer
      answer[3] = 3; // NXDOMAIN
      byte[] spoofed = answer.clone();
      spoofer.send(new DatagramPacket(spoofed, spoofed.length, forwarder)); // wrong source
      byte[] otherQuestion = answer.clone();
      otherQuestion[13] = 'v'; // "vww.example.org"
      upstream.send(new DatagramPacket(otherQuestion, otherQuestion.length, forwarder));
      byte[] real = answer.clone();
      real[3] = 0; // NOERROR: the one that counts
      upstream.send(new DatagramPacket(real, real.length, forwarder));

      assertRcode(receive(s), 4242, DnsResponseCode.NOERROR);
      assertEquals(1, server.counters().forwarded());
    }
  }

  @Test
  void aClientOverItsRateGetsNoAnswersWhileOthersStillDo() throws Exception {
    DnsSettings limited = settings(ANY_PORT).withRateLimit(new DnsSettings.RateLimit(1, 5, true));
    try (DnsServer server = start(limited);
        DatagramSocket greedy = client("127.0.0.1");
        DatagramSocket other = client("127.0.0.2")) {
      InetSocketAddress address = server.udpAddresses().get(0);
      for (int i = 0; i < 20; i++) {
        byte[] q = Wire.query(i, "wiki.mesh.alt", Wire.AAAA);
        greedy.send(new DatagramPacket(q, q.length, address));
      }
      // The clock does not move: the burst of 5 is all there is.
      waitFor(() -> server.counters().queries() == 20, "the 20 queries to arrive");
      for (int i = 0; i < 5; i++) {
        DnsResponse r = Wire.decode(receive(greedy));
        r.release();
      }
      assertEquals(15, server.counters().rateLimited());
      DnsResponse r = Wire.decode(udp(other, address, Wire.query(99, "wiki.mesh.alt", Wire.AAAA)));
      try {
        assertEquals(99, r.id(), "127.0.0.2 is another client, with its own bucket");
      } finally {
        r.release();
      }
      greedy.setSoTimeout(300);
      assertThrows(SocketTimeoutException.class, () -> receive(greedy), "nothing past the burst");
    }
  }

  @Test
  void loopbackClientsAreNotLimitedByDefault() throws Exception {
    try (DnsServer server = start(settings(ANY_PORT));
        DatagramSocket s = client("127.0.0.1")) {
      int n = DnsSettings.RateLimit.DEFAULT.burst() + 100;
      for (int i = 0; i < n; i++) {
        DnsResponse r =
            Wire.decode(
                udp(s, server.udpAddresses().get(0), Wire.query(i, "wiki.mesh.alt", Wire.AAAA)));
        r.release();
      }
      assertEquals(0, server.counters().rateLimited());
    }
  }

  @Test
  void aTcpPortInUseIsABindErrorNamingTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, ANY_PORT.getAddress())) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
      DnsBindException e = assertThrows(DnsBindException.class, () -> start(settings(address)));
      assertEquals(address, e.address());
      assertTrue(
          e.getMessage().startsWith("127.0.0.1:" + address.getPort() + " (TCP) is already in use"),
          e.getMessage());
    }
  }

  @Test
  void aUdpPortInUseIsABindErrorAndLeavesNothingBound() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(ANY_PORT)) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
      DnsBindException e = assertThrows(DnsBindException.class, () -> start(settings(address)));
      assertTrue(
          e.getMessage().startsWith("127.0.0.1:" + address.getPort() + " (UDP) is already in use"),
          e.getMessage());
      try (ServerSocket again = new ServerSocket(address.getPort(), 1, address.getAddress())) {
        assertEquals(address.getPort(), again.getLocalPort(), "the TCP socket was closed");
      }
    }
  }

  @Test
  void aPrivilegedPortTellsHowToGetThePrivilege() {
    InetSocketAddress port53 = new InetSocketAddress("127.0.0.1", 53);
    DnsBindException e = DnsBindException.of(port53, "TCP", new BindException("Permission denied"));
    assertEquals(
        "binding 127.0.0.1:53 needs privilege: run as root, give the agent CAP_NET_BIND_SERVICE"
            + " (systemd AmbientCapabilities=CAP_NET_BIND_SERVICE), or set dnsListen to a port"
            + " above 1023",
        e.getMessage());
    InetSocketAddress v6 = new InetSocketAddress("::1", 5353);
    assertTrue(
        DnsBindException.of(v6, "UDP", new BindException("Address already in use"))
            .getMessage()
            .startsWith("[::1]:5353 (UDP) is already in use"));
  }

  @Test
  void closingReleasesEveryPort() throws Exception {
    DnsServer server = start(settings(ANY_PORT));
    InetSocketAddress udpAddress = server.udpAddresses().get(0);
    InetSocketAddress tcpAddress = server.tcpAddresses().get(0);
    assertEquals(udpAddress.getPort(), tcpAddress.getPort());
    server.close();
    server.close(); // twice is harmless
    try (DatagramSocket u = new DatagramSocket(udpAddress);
        ServerSocket t = new ServerSocket(tcpAddress.getPort(), 1, tcpAddress.getAddress())) {
      assertTrue(u.isBound() && t.isBound());
    }
  }

  @Test
  void malformedMessagesGetFormErrNotImpOrNothing() throws Exception {
    try (DnsServer server = start(settings(ANY_PORT));
        DatagramSocket s = client("127.0.0.1")) {
      InetSocketAddress address = server.udpAddresses().get(0);
      byte[] twoQuestions = Wire.query(1, "wiki.mesh.alt", Wire.AAAA);
      twoQuestions[5] = 2;
      assertRcode(udp(s, address, twoQuestions), 1, DnsResponseCode.FORMERR);

      byte[] status = Wire.query(2, 2 << 11, "wiki.mesh.alt", Wire.AAAA, Wire.NO_EDNS);
      assertRcode(udp(s, address, status), 2, DnsResponseCode.NOTIMP);

      byte[] cut = Arrays.copyOf(Wire.query(3, "wiki.mesh.alt", Wire.AAAA), 20);
      assertRcode(udp(s, address, cut), 3, DnsResponseCode.FORMERR);

      // A response and a runt get nothing; the query after them is answered first.
      byte[] response = Wire.query(4, 0x8000, "wiki.mesh.alt", Wire.AAAA, Wire.NO_EDNS);
      s.send(new DatagramPacket(response, response.length, address));
      s.send(new DatagramPacket(new byte[5], 5, address));
      assertRcode(
          udp(s, address, Wire.query(5, "wiki.mesh.alt", Wire.AAAA)), 5, DnsResponseCode.NOERROR);
      assertEquals(2, server.counters().malformedDropped());
      assertEquals(2, server.counters().formErr());
      assertEquals(1, server.counters().notImp());
      assertEquals(0, server.counters().errors());
    }
  }

  private static void assertRcode(byte[] answer, int id, DnsResponseCode code) {
    DnsResponse r = Wire.decode(answer);
    try {
      assertEquals(id, r.id());
      assertEquals(code, r.code());
    } finally {
      r.release();
    }
  }

  @Test
  void anUnknownEdnsVersionGetsBadVers() throws Exception {
    try (DnsServer server = start(settings(ANY_PORT));
        DatagramSocket s = client("127.0.0.1")) {
      byte[] q = Wire.query(1, 0x0100, "wiki.mesh.alt", Wire.AAAA, 1232);
      q[q.length - 5] = 1; // the OPT TTL's version byte
      DnsResponse r = Wire.decode(udp(s, server.udpAddresses().get(0), q));
      try {
        assertEquals(0, r.count(DnsSection.ANSWER));
        DnsRecord opt = r.recordAt(DnsSection.ADDITIONAL);
        assertEquals(DnsRecordType.OPT, opt.type());
        assertEquals(1, opt.timeToLive() >>> 24, "BADVERS is 16: 1 in the extended bits");
      } finally {
        r.release();
      }
    }
  }

  @Test
  void countersCountWhatHappened() throws Exception {
    try (DnsServer server = start(settings(ANY_PORT));
        DatagramSocket s = client("127.0.0.1")) {
      InetSocketAddress a = server.udpAddresses().get(0);
      udp(s, a, Wire.query(1, "wiki.mesh.alt", Wire.AAAA));
      udp(s, a, Wire.query(2, "wiki.mesh.alt", Wire.SRV));
      udp(s, a, Wire.query(3, "nope.mesh.alt", Wire.AAAA));
      udp(s, a, Wire.query(4, "example.org", Wire.AAAA));
      udp(s, a, Wire.query(5, "big.mesh.alt", Wire.TXT));
      tcp(server.tcpAddresses().get(0), Wire.query(6, "big.mesh.alt", Wire.TXT));
      DnsCounters c = server.counters();
      assertEquals(6, c.queries());
      assertEquals(4, c.noError());
      assertEquals(1, c.noData());
      assertEquals(1, c.nxDomain());
      assertEquals(1, c.refused());
      assertEquals(1, c.truncated());
      assertEquals(1, c.tcpQueries());
      assertFalse(c.forwarded() > 0);
    }
  }

  @Test
  void settingsRefuseWhatCannotWork() {
    List<InetSocketAddress> listen = List.of(ANY_PORT);
    assertThrows(
        IllegalArgumentException.class,
        () -> DnsSettings.of(List.of(), List.of("mesh.alt"), Optional.empty()));
    assertThrows(
        IllegalArgumentException.class,
        () -> DnsSettings.of(listen, List.of("meship"), Optional.empty()));
    assertThrows(
        IllegalArgumentException.class,
        () -> DnsSettings.of(listen, List.of("bad zone"), Optional.empty()));
    assertThrows(
        IllegalArgumentException.class,
        () -> DnsSettings.of(listen, List.of("mesh.alt"), Optional.of(ANY_PORT)));
    assertThrows(
        IllegalArgumentException.class, () -> settings(ANY_PORT).withMaxTtl(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new DnsSettings.RateLimit(0, 1, false));
    assertEquals(
        List.of("mesh.alt"),
        DnsSettings.of(listen, List.of("MESH.Alt."), Optional.empty()).zones());
  }
}
