package org.canopymesh.agent.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.canopymesh.agent.names.NameSource;
import org.canopymesh.naming.address.MeshipName;
import org.junit.jupiter.api.Test;

/**
 * A million random and mutated packets through the real UDP handler, and many more messages through
 * the real TCP pipeline, with Netty's paranoid leak detector watching every buffer: no exception,
 * no leak, and every answer parses with Netty's own decoder, echoes the ID, and stays within the
 * UDP size cap.
 */
class DnsFuzzTest {
  private static final int UDP_PACKETS = Integer.getInteger("dns.fuzz.packets", 1_000_000);
  private static final int TCP_CONNECTIONS = Integer.getInteger("dns.fuzz.tcp", 2_000);
  private static final long SEED = Long.getLong("dns.fuzz.seed", 20260301L);
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);
  private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 40000);

  private static final int THREADS = 2;

  private final NameSource names = TestNames.source();
  private final List<byte[]> seeds = seeds();

  @Test
  void aMillionHostilePacketsNeitherCrashNorLeakAndEveryAnswerParses() throws Exception {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    List<String> leaks = watchLeaks();
    Counters counters = new Counters();
    Responder responder = responder(counters);
    RateLimiter limiter = new RateLimiter(DnsSettings.RateLimit.DEFAULT, TestNames.CLOCK);
    Instant start = Instant.now();
    // Two fuzzers on fresh threads: the leak detector captures a stack trace for every buffer
    // operation, and a shallow stack (not JUnit's) makes each capture several times cheaper.
    List<Fuzzer> fuzzers = new ArrayList<>();
    List<FutureTask<Void>> runs = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Fuzzer f = new Fuzzer(new Random(SEED + t), responder, limiter);
      fuzzers.add(f);
      FutureTask<Void> run = new FutureTask<>(f, null);
      runs.add(run);
      new Thread(run, "dns-fuzz-" + t).start();
    }
    for (FutureTask<Void> run : runs) {
      try {
        run.get();
      } catch (ExecutionException e) {
        throw new AssertionError("a fuzzer failed (seed " + SEED + ")", e.getCause());
      }
    }
    Duration took = Duration.between(start, Instant.now());
    long answered = fuzzers.stream().mapToLong(f -> f.udpAnswers).sum();
    long tcpAnswers = fuzzers.stream().mapToLong(f -> f.tcpAnswers).sum();

    DnsCounters c = counters.snapshot();
    assertEquals(0, c.errors(), "no exception inside the server (seed " + SEED + ")");
    assertEquals(0, c.servFail(), "SERVFAIL here would only come from a bug");
    assertTrue(answered > UDP_PACKETS / 4, "most mutants still get an answer: " + answered);
    assertTrue(tcpAnswers > 0);
    assertTrue(c.rateLimited() > 0, "the few non-loopback senders ran over their rate");
    assertEquals(List.of(), awaitLeakReports(leaks), "leaks (seed " + SEED + ")");
    System.out.printf(
        "dns fuzz: %d UDP packets (%d answered), %d TCP answers, %s, %s%n",
        UDP_PACKETS, answered, tcpAnswers, took, c);

    // The detector itself works: a buffer dropped on purpose is reported.
    System.out.println("dns fuzz: leaking one buffer on purpose; Netty reports it as a LEAK below");
    ByteBufAllocator.DEFAULT.buffer(16).writeInt(42);
    assertFalse(awaitLeakReports(leaks).isEmpty(), "the leak watch saw the deliberate leak");
  }

  /** One thread's share of the packets, through its own channels. */
  private final class Fuzzer implements Runnable {
    private final Random rnd;
    private final Responder responder;
    private final RateLimiter limiter;
    private final List<InetSocketAddress> strangers = new ArrayList<>();
    long udpAnswers;
    long tcpAnswers;

    Fuzzer(Random rnd, Responder responder, RateLimiter limiter) {
      this.rnd = rnd;
      this.responder = responder;
      this.limiter = limiter;
    }

    @Override
    public void run() {
      try {
        for (int i = 0; i < 8; i++) {
          strangers.add(stranger());
        }
        fuzzUdp();
        fuzzTcp();
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }

    private void fuzzUdp() {
      EmbeddedChannel udp = new EmbeddedChannel(new UdpHandler(responder, limiter));
      for (int i = 0; i < UDP_PACKETS / THREADS; i++) {
        byte[] p = packet(rnd);
        ByteBuf in = udp.alloc().buffer(p.length).writeBytes(p);
        // Mostly loopback, which is not limited; a few others, which run over their rate.
        InetSocketAddress sender = i % 16 == 0 ? strangers.get(rnd.nextInt(8)) : LOOPBACK;
        udp.writeInbound(new DatagramPacket(in, SERVER, sender));
        for (DatagramPacket out; (out = udp.readOutbound()) != null; ) {
          try {
            checkAnswer(Wire.bytes(out.content()), p, Header.MAX_UDP, i);
            udpAnswers++;
          } finally {
            out.release();
          }
        }
      }
      assertFalse(udp.finishAndReleaseAll(), "nothing left in the channel");
    }

    private InetSocketAddress stranger() throws UnknownHostException {
      byte[] a = new byte[rnd.nextBoolean() ? 4 : 16];
      rnd.nextBytes(a);
      a[0] = (byte) (a.length == 4 ? 198 : 0x20); // never loopback
      return new InetSocketAddress(InetAddress.getByAddress(a), 1 + rnd.nextInt(65535));
    }

    /** TCP: streams of framed mutants cut into random pieces, a new connection every so often. */
    private void fuzzTcp() {
      TcpHandler.ConnectionLimit limit = new TcpHandler.ConnectionLimit(TCP_CONNECTIONS);
      for (int c = 0; c < TCP_CONNECTIONS / THREADS; c++) {
        EmbeddedChannel ch =
            new EmbeddedChannel(DnsServer.tcpInitializer(responder, limit, Duration.ofSeconds(10)));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int m = rnd.nextInt(120); m > 0; m--) {
          byte[] p = packet(rnd);
          int length = rnd.nextInt(50) == 0 ? rnd.nextInt(65536) : p.length; // sometimes a lie
          stream.write(length >>> 8);
          stream.write(length);
          stream.write(p, 0, p.length);
        }
        byte[] all = stream.toByteArray();
        for (int at = 0; at < all.length && ch.isOpen(); ) {
          int n = Math.min(all.length - at, 1 + rnd.nextInt(700));
          ch.writeInbound(ch.alloc().buffer(n).writeBytes(all, at, n));
          at += n;
        }
        ByteBuf out = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
          out.writeBytes(b);
          b.release();
        }
        while (out.readableBytes() >= 2) {
          byte[] answer = new byte[out.readUnsignedShort()];
          out.readBytes(answer);
          checkAnswer(answer, null, Header.MAX_TCP, c);
          tcpAnswers++;
        }
        assertEquals(0, out.readableBytes(), "only whole messages");
        ch.finishAndReleaseAll();
      }
    }
  }

  private Responder responder(Counters counters) {
    DnsSettings settings =
        DnsSettings.of(List.of(SERVER), List.of("mesh.alt", "other.zone"), Optional.empty());
    return DnsServer.responder(settings, () -> names, TestNames.CLOCK, counters, Optional.empty());
  }

  private static void checkAnswer(byte[] answer, byte[] query, int limit, int i) {
    String where = "packet " + i + " (seed " + SEED + ")";
    assertTrue(answer.length >= Header.SIZE && answer.length <= limit, where);
    assertTrue((answer[2] & 0x80) != 0, "QR set: " + where);
    if (query != null) {
      assertEquals(query[0], answer[0], "the ID: " + where);
      assertEquals(query[1], answer[1], "the ID: " + where);
    }
    try {
      ResponseCheck.parse(answer);
    } catch (RuntimeException e) {
      throw new AssertionError(where + ": " + e.getMessage() + ": " + Arrays.toString(answer), e);
    }
    if (nettyTakesTheName(answer)) {
      DnsResponse r;
      try {
        r = Wire.decode(answer);
      } catch (RuntimeException e) {
        throw new AssertionError(where + ": Netty cannot parse " + Arrays.toString(answer), e);
      }
      r.release();
    }
  }

  /**
   * Whether Netty's decoder can take the question's name: it runs names through IDNA, which refuses
   * bytes that DNS labels may hold.
   */
  private static boolean nettyTakesTheName(byte[] answer) {
    if (answer.length <= Header.SIZE || answer[5] == 0) {
      return true;
    }
    for (int i = Header.SIZE; i < answer.length && answer[i] != 0; ) {
      int len = answer[i] & 0xff;
      for (int j = i + 1; j <= i + len && j < answer.length; j++) {
        byte b = answer[j];
        boolean ldh =
            (b >= 'a' && b <= 'z')
                || (b >= 'A' && b <= 'Z')
                || (b >= '0' && b <= '9')
                || b == '-'
                || b == '_';
        if (!ldh) {
          return false;
        }
      }
      i += len + 1;
    }
    return true;
  }

  /** Valid queries of every kind the server answers, to mutate. */
  private static List<byte[]> seeds() {
    List<String> names =
        List.of(
            "wiki.mesh.alt",
            "WiKi.Mesh.ALT",
            "_http._tcp.wiki.mesh.alt",
            "_tcp.wiki.mesh.alt",
            "big.mesh.alt",
            "medium.mesh.alt",
            "nope.mesh.alt",
            "disputed.mesh.alt",
            "gone.mesh.alt",
            "mesh.alt",
            "x.other.zone",
            MeshipName.of(TestNames.NAMELESS).toString(),
            "meship",
            TestNames.reverse(TestNames.WIKI),
            TestNames.reverse(TestNames.NAMELESS),
            TestNames.reverse(TestNames.SUBNET_HOST),
            "0.2.0.ip6.arpa",
            "example.org",
            "");
    int[] types = {1, 2, 6, 12, 16, 28, 33, 41, 251, 252, 255, 65535};
    List<byte[]> out = new ArrayList<>();
    int id = 0;
    for (String n : names) {
      for (int t : types) {
        out.add(Wire.query(id++, 0x0100, n, t, Wire.NO_EDNS));
        out.add(Wire.query(id++, 0x0110, n, t, 1232));
        out.add(Wire.query(id++, 0, n, t, 4096));
        out.add(Wire.query(id++, 0, n, t, 100));
      }
    }
    return out;
  }

  /** One packet: random noise, or a valid query with a few mutations. */
  private byte[] packet(Random rnd) {
    if (rnd.nextInt(10) == 0) {
      byte[] noise = new byte[rnd.nextInt(rnd.nextBoolean() ? 16 : 600)];
      rnd.nextBytes(noise);
      return noise;
    }
    byte[] p = seeds.get(rnd.nextInt(seeds.size())).clone();
    for (int m = rnd.nextInt(4); m > 0; m--) {
      p = mutate(rnd, p);
    }
    return p;
  }

  private static byte[] mutate(Random rnd, byte[] p) {
    if (p.length == 0) {
      return p;
    }
    int at = rnd.nextInt(p.length);
    switch (rnd.nextInt(10)) {
      case 0 -> p[at] ^= (byte) (1 << rnd.nextInt(8)); // a bit flip
      case 1 -> p = Arrays.copyOf(p, rnd.nextInt(p.length)); // truncated
      case 2 -> p[at] = (byte) rnd.nextInt(256);
      case 3 -> { // huge or wrong counts
        if (p.length >= Header.SIZE) {
          int field = 4 + 2 * rnd.nextInt(4);
          int v = rnd.nextBoolean() ? 0xffff : rnd.nextInt(4);
          p[field] = (byte) (v >>> 8);
          p[field + 1] = (byte) v;
        }
      }
      case 4 -> { // a compression pointer: to itself (a loop), backwards, or past the end
        int target =
            switch (rnd.nextInt(3)) {
              case 0 -> at;
              case 1 -> rnd.nextInt(at + 1);
              default -> p.length + rnd.nextInt(1000);
            };
        p[at] = (byte) (0xc0 | (target >>> 8 & 0x3f));
        if (at + 1 < p.length) {
          p[at + 1] = (byte) target;
        }
      }
      case 5 -> p[at] = (byte) new int[] {63, 64, 0x40, 0x80, 0xff, 0}[rnd.nextInt(6)];
      case 6 -> { // garbage appended
        byte[] tail = new byte[rnd.nextInt(300)];
        rnd.nextBytes(tail);
        byte[] q = Arrays.copyOf(p, p.length + tail.length);
        System.arraycopy(tail, 0, q, p.length, tail.length);
        p = q;
      }
      case 7 -> { // another OPT record, maybe with another version
        byte[] opt = {0, 0, 41, 4, (byte) 0xd0, 0, (byte) rnd.nextInt(3), 0, 0, 0, 0};
        byte[] q = Arrays.copyOf(p, p.length + opt.length);
        System.arraycopy(opt, 0, q, p.length, opt.length);
        if (q.length >= Header.SIZE) {
          q[11]++;
        }
        p = q;
      }
      case 8 -> { // another opcode, or the QR bit
        if (p.length > 2) {
          p[2] = (byte) rnd.nextInt(256);
        }
      }
      default -> { // a label inserted into the name
        byte[] label = new byte[1 + rnd.nextInt(70)];
        rnd.nextBytes(label);
        label[0] = (byte) (label.length - 1);
        int where = Math.min(p.length, Header.SIZE);
        byte[] q = new byte[p.length + label.length];
        System.arraycopy(p, 0, q, 0, where);
        System.arraycopy(label, 0, q, where, label.length);
        System.arraycopy(p, where, q, where + label.length, p.length - where);
        p = q;
      }
    }
    return p;
  }

  /** Netty's buffer leak detector, with a listener that collects what it reports. */
  private static List<String> watchLeaks() throws ReflectiveOperationException {
    Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
    f.setAccessible(true);
    ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) f.get(null);
    List<String> leaks = new CopyOnWriteArrayList<>();
    detector.setLeakListener((type, records) -> leaks.add(type + ": " + records));
    return leaks;
  }

  /**
   * Lets the collector find unreleased buffers: the detector checks its queue of collected buffers
   * each time it tracks a new one.
   */
  private static List<String> awaitLeakReports(List<String> leaks) {
    for (int round = 0; round < 10 && leaks.isEmpty(); round++) {
      System.gc();
      System.runFinalization();
      for (int i = 0; i < 100; i++) {
        ByteBufAllocator.DEFAULT.buffer(8).release();
      }
    }
    return List.copyOf(leaks);
  }
}
