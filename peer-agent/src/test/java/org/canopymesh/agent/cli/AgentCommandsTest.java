package org.canopymesh.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.config.ConfigReader;
import org.canopymesh.agent.testing.Records;
import org.canopymesh.naming.key.NodeKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent commands that need no mirror: genconf, and how run and resolve fail. */
class AgentCommandsTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        CanopyAgent.commandLine(
                Clock.systemUTC(), new PrintWriter(out, true), new PrintWriter(err, true))
            .execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  Path config(String json) throws IOException {
    Path key = dir.resolve("node.key");
    Files.writeString(key, NodeKeys.formatKeyFile(Records.newKey()));
    Path f = dir.resolve("agent.json");
    Files.writeString(
        f, json.replace("KEY", key.toString()).replace("STATE", dir.resolve("state").toString()));
    return f;
  }

  @Test
  void genconfPrintsAConfigThatReadsBackAsTheDefaults() throws IOException {
    Result r = run("genconf");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("// "), "the config is commented");
    Path f = dir.resolve("agent.json");
    Files.writeString(f, r.out());
    assertEquals(AgentConfig.defaults(), ConfigReader.read(f));
  }

  @Test
  void runWithABadConfigSaysWhichFieldAndExits2() throws IOException {
    Path f = config("{\"syncInterval\": \"often\"}");
    Result r = run("run", "--config", f.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("field \"syncInterval\""), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
  }

  @Test
  void runOnAPortInUseSaysSoAndExits2() throws IOException {
    try (DatagramSocket busy = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        ServerSocket tcp = new ServerSocket()) {
      int port = busy.getLocalPort();
      tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      Path f =
          config(
              """
              {"keyFile": "KEY", "stateDir": "STATE", "dnsListen": ["127.0.0.1:%d"],
               "statusListen": "127.0.0.1:0", "admin": "tcp://127.0.0.1:9"}
              """
                  .formatted(port));
      Result r = run("run", "--config", f.toString());
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("127.0.0.1:" + port), r.err());
    }
  }

  @Test
  void resolveWithoutAVerifiedCopySaysTheNameIsAbsent() throws IOException {
    Path f = config("{\"keyFile\": \"KEY\", \"stateDir\": \"STATE\"}");
    Result r = run("resolve", "wiki", "--config", f.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("wiki.mesh.alt does not resolve: absent"), r.err());
  }

  @Test
  void resolveDecodesMeshipNamesLocally() {
    Result r = run("resolve", "aiaaaaaaaaaaaaaaaaaaaaaaae.meship");
    assertEquals(0, r.code(), r.err());
    assertEquals("aiaaaaaaaaaaaaaaaaaaaaaaae.meship. AAAA 200::1\n", r.out());
  }

  @Test
  void statusWithoutARunningAgentSaysHowToStartOne() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path f = config("{\"statusListen\": \"127.0.0.1:%d\"}".formatted(port));
    Result r = run("status", "--config", f.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("canopy-agent run"), r.err());
  }
}
