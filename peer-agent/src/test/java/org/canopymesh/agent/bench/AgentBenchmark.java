package org.canopymesh.agent.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.names.Lookup;
import org.canopymesh.agent.sync.LogSync;
import org.canopymesh.agent.testing.FakeMirror;
import org.canopymesh.agent.testing.Records;
import org.canopymesh.naming.key.NodeKeys;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.record.SignedRecord;

/**
 * The agent's own figures, printed one per line as {@code name value unit}: syncing a 10,000-record
 * log from three (fake, in-process) mirrors; verifying and loading it from disk; then the packaged
 * agent as a process (with the JVM flags of the systemd unit) — time from start to the first DNS
 * answer for a registered name, and its resident memory after answering.
 *
 * <p>Usage: {@code AgentBenchmark <canopy-agent.jar> <names>}.
 */
public final class AgentBenchmark {
  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    Path dir = Files.createTempDirectory("agent-bench");
    List<SignedRecord> log = records(n);
    List<FakeMirror> mirrors = new ArrayList<>();
    for (String o : List.of("a.bench/log", "b.bench/log", "c.bench/log")) {
      FakeMirror m = FakeMirror.start(o);
      m.serve(log);
      mirrors.add(m);
    }
    AgentConfig config =
        AgentConfig.defaults()
            .withStateDir(dir.resolve("state"))
            .withMirrors(mirrors.stream().map(FakeMirror::asConfigured).toList(), 2);
    Clock clock = Clock.systemUTC();
    long t0 = System.nanoTime();
    try (LogSync s = LogSync.open(config, clock)) {
      s.syncAll();
      check(s, n);
    }
    print("sync_3_mirrors", ms(t0), "ms");
    for (int i = 0; i < 3; i++) {
      long t1 = System.nanoTime();
      try (LogSync s = LogSync.open(config, clock)) {
        check(s, n);
      }
      print("load_and_verify_from_disk", ms(t1), "ms");
    }
    mirrors.forEach(FakeMirror::close);
    runAgent(jar, dir, config);
  }

  static List<SignedRecord> records(int n) {
    List<SigningKey> keys = new ArrayList<>();
    for (int i = 0; i < (n + 9) / 10; i++) {
      keys.add(Records.newKey());
    }
    Instant issued = Instant.now().minusSeconds(60);
    List<SignedRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Records.record(keys.get(i / 10), "host" + i + ".mesh.alt", 1, issued));
    }
    return out;
  }

  static void check(LogSync s, int n) {
    if (s.names().size() != n
        || !(s.names().lookup("host0.mesh.alt", Instant.now()) instanceof Lookup.Resolved)) {
      throw new IllegalStateException("expected " + n + " names, have " + s.names().size());
    }
  }

  /** The packaged agent over the synced state, with every mirror down (it serves from disk). */
  static void runAgent(Path jar, Path dir, AgentConfig synced) throws Exception {
    int dns = freePort();
    Path key = dir.resolve("node.key");
    Files.writeString(key, NodeKeys.formatKeyFile(Records.newKey()));
    StringBuilder mirrors = new StringBuilder();
    for (AgentConfig.Mirror m : synced.mirrors()) {
      mirrors.append(mirrors.length() == 0 ? "" : ",");
      mirrors.append("{\"url\":\"%s\",\"key\":\"%s\"}".formatted(m.url(), m.key()));
    }
    Path config = dir.resolve("agent.json");
    Files.writeString(
        config,
        "{\"keyFile\":\"%s\",\"dnsListen\":[\"127.0.0.1:%d\"],\"statusListen\":\"127.0.0.1:%d\",\"stateDir\":\"%s\",\"mirrors\":[%s],\"admin\":\"tcp://127.0.0.1:9\"}"
            .formatted(key, dns, freePort(), synced.stateDir(), mirrors));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xss512k",
                "-XX:MaxMetaspaceSize=48m",
                "-XX:ReservedCodeCacheSize=16m",
                "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=30",
                "-jar",
                jar.toString(),
                "run",
                "--config",
                config.toString()));
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("agent.log").toFile())
            .start();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(20);
      while (!answers(socket, dns, "host0.mesh.alt")) {
        if (!p.isAlive() || ms(t0) > 30_000) {
          throw new IllegalStateException(
              "no answer; log: " + Files.readString(dir.resolve("agent.log")));
        }
      }
      print("start_to_first_answer", ms(t0), "ms");
      for (int i = 0; i < 20_000; i++) {
        answers(socket, dns, "host" + (i % 10_000) + ".mesh.alt");
      }
      print("resident_memory", rssKiB(p.pid()) / 1024, "MiB");
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
    }
  }

  static boolean answers(DatagramSocket s, int port, String name) throws IOException {
    ByteBuffer q = ByteBuffer.allocate(512);
    q.putShort((short) 0x1234).putShort((short) 0x0100).putShort((short) 1);
    q.putShort((short) 0).putShort((short) 0).putShort((short) 0);
    for (String label : name.split("\\.")) {
      q.put((byte) label.length()).put(label.getBytes(StandardCharsets.US_ASCII));
    }
    q.put((byte) 0).putShort((short) 28).putShort((short) 1);
    s.send(new DatagramPacket(q.array(), q.position(), InetAddress.getLoopbackAddress(), port));
    byte[] buf = new byte[512];
    DatagramPacket r = new DatagramPacket(buf, buf.length);
    try {
      s.receive(r);
    } catch (SocketTimeoutException e) {
      return false;
    }
    return r.getLength() > 12 && (buf[3] & 0x0f) == 0 && (buf[6] << 8 | (buf[7] & 0xff)) > 0;
  }

  static long rssKiB(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  static void print(String what, long value, String unit) {
    System.out.println(what + " " + value + " " + unit);
  }
}
