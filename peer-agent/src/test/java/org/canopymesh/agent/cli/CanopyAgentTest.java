package org.canopymesh.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.NodeKeys;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.record.SignedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanopyAgentTest {
  static final Instant NOW = Instant.ofEpochSecond(1_795_262_400L);
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** The seed and public key of a node, as in the PrivateKey of its Yggdrasil config. */
  static final SigningKey NODE = SigningKey.fromSeed(HexFormat.of().parseHex("11".repeat(32)));

  @TempDir Path dir;
  Path config;

  @BeforeEach
  void writeConfig() throws IOException {
    config = dir.resolve("yggdrasil.conf");
    Files.writeString(
        config,
        "{\n  # written like yggdrasil -genconf\n  PublicKey: "
            + NODE.verifyingKey().toHex()
            + "\n  PrivateKey: "
            + NodeKeys.formatKeyFile(NODE).strip()
            + "\n  IfName: auto\n}\n");
  }

  record Result(int code, String out, String err) {}

  Result run(String... args) {
    return run(CLOCK, args);
  }

  Result run(Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        CanopyAgent.commandLine(clock, new PrintWriter(out, true), new PrintWriter(err, true))
            .execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void addressPrintsAddressSubnetAndMeshipName() {
    Result r = run("address", "--config", config.toString());
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(3, lines.length);
    OverlayAddress a = OverlayAddress.forKey(NODE.verifyingKey());
    assertEquals(a.toString(), lines[0]);
    assertTrue(lines[1].endsWith("::/64") && lines[1].startsWith("3"), lines[1]);
    assertTrue(lines[2].endsWith(".meship"), lines[2]);

    Result byKey = run("address", "--key", NODE.verifyingKey().toHex());
    assertEquals(r.out(), byKey.out());
  }

  @Test
  void addressNeedsExactlyOneKeySource() {
    assertEquals(2, run("address").code());
    Result both =
        run("address", "--config", config.toString(), "--key", NODE.verifyingKey().toHex());
    assertEquals(2, both.code());
    assertTrue(both.err().contains("mutually exclusive"), both.err());
  }

  @Test
  void addressExplainsABadKeyInOneLine() {
    Result r = run("address", "--key", "abc");
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("64 hex digits"), r.err());
  }

  @Test
  void meshipEncodesAndDecodes() {
    Result enc = run("meship", "encode", "200:6fc8:9220:f400:5cc2:305a:4ac6:967e");
    assertEquals("aiag7sesed2aaxgcgbnevruwpy.meship\n", enc.out());
    Result dec = run("meship", "decode", "aiag7sesed2aaxgcgbnevruwpy.meship");
    assertEquals("200:6fc8:9220:f400:5cc2:305a:4ac6:967e\n", dec.out());
  }

  @Test
  void meshipExitsTwoOnBadInput() {
    Result r = run("meship", "decode", "aiag7sesed2aaxgcgbnevruwpz.meship");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("not canonical"), r.err());
    assertEquals(2, run("meship", "encode", "fe80::1").code());
    assertEquals(2, run("meship").code());
  }

  @Test
  void recordSignThenVerify() throws IOException {
    Result sign =
        run(
            "record",
            "sign",
            "--config",
            config.toString(),
            "--name",
            "Wiki.Mesh.Alt",
            "--srv",
            "http:tcp:80",
            "--txt",
            "hello world",
            "--ttl",
            "7d");
    assertEquals(0, sign.code(), sign.err());
    SignedRecord r = SignedRecord.parse(sign.out());
    assertEquals("wiki.mesh.alt", r.record().name());
    assertEquals(NOW.getEpochSecond(), r.record().seq(), "seq defaults to now");
    assertEquals(NOW.plus(Duration.ofDays(7)), r.record().expires());

    Path file = dir.resolve("wiki.note");
    Files.writeString(file, sign.out());
    Result verify = run("record", "verify", file.toString());
    assertEquals(0, verify.code(), verify.out() + verify.err());
    assertEquals(
        "valid wiki.mesh.alt " + OverlayAddress.forKey(NODE.verifyingKey()) + "\n", verify.out());
  }

  @Test
  void recordVerifyExitsOneWithTheReason() throws IOException {
    String note =
        run("record", "sign", "--config", config.toString(), "--name", "wiki.mesh.alt").out();
    Path file = dir.resolve("bad.note");
    Files.writeString(file, note.replace("wiki.mesh.alt", "wika.mesh.alt"));

    Result r = run("record", "verify", file.toString());
    assertEquals(1, r.code());
    assertTrue(r.out().startsWith("invalid: bad signature"), r.out());

    Files.writeString(file, note);
    Result expired =
        run(Clock.offset(CLOCK, Duration.ofDays(31)), "record", "verify", file.toString());
    assertEquals(1, expired.code());
    assertTrue(expired.out().startsWith("invalid: expired"), expired.out());

    Result zone = run("record", "verify", file.toString(), "--zone", "berlin.mesh");
    assertEquals(1, zone.code());
    assertTrue(zone.out().startsWith("invalid: name outside zone"), zone.out());
  }

  @Test
  void recordVerifyExitsTwoOnUnreadableInput() {
    Result r = run("record", "verify", dir.resolve("missing.note").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no such file"), r.err());
  }

  @Test
  void recordSignRefusesWhatWouldBeInvalid() {
    assertEquals(2, sign("--name", "wiki.example").code());
    assertEquals(2, sign("--name", "wiki.mesh.alt", "--ttl", "91d").code());
    assertEquals(2, sign("--name", "wiki.mesh.alt", "--ttl", "soon").code());
    assertEquals(2, sign("--name", "wiki.mesh.alt", "--srv", "http:tcp").code());
    assertEquals(2, sign("--name", "wiki.mesh.alt", "--seq", "-5").code());
    assertEquals(2, sign("--name", "wi_ki.mesh.alt").code());
    Result r = sign("--name", "wiki.mesh.alt", "--srv", "http:tcp:99999");
    assertEquals(2, r.code());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @Test
  void recordSignAcceptsAnotherZone() {
    Result r = sign("--name", "wiki.berlin.mesh", "--zone", "berlin.mesh");
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void recordSignReadsKeyFiles() throws IOException {
    Path key = dir.resolve("node.key");
    Files.writeString(key, NodeKeys.formatKeyFile(NODE));
    Result r = run("record", "sign", "--key-file", key.toString(), "--name", "a.mesh.alt");
    assertEquals(0, r.code(), r.err());
    assertEquals(NODE.verifyingKey(), SignedRecord.parse(r.out()).record().key());
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] cmd :
        new String[][] {
          {"--help"},
          {"address", "--help"},
          {"meship", "--help"},
          {"meship", "encode", "--help"},
          {"meship", "decode", "--help"},
          {"record", "--help"},
          {"record", "sign", "--help"},
          {"record", "verify", "--help"}
        }) {
      Result r = run(cmd);
      assertEquals(0, r.code(), String.join(" ", cmd));
      assertTrue(r.out().contains("Usage:"), String.join(" ", cmd));
    }
  }

  @Test
  void noCommandPrintsUsageAsAnError() {
    Result r = run();
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Usage:"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void unknownOptionsExitTwoWithAHint() {
    Result r = run("record", "sign", "--nmae", "x");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--help"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void brokenConfigIsOneLineNotAStackTrace() throws IOException {
    Files.writeString(config, "{ PrivateKey: 1234 }");
    Result r = run("address", "--config", config.toString());
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("PrivateKey"), r.err());
  }

  private Result sign(String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "record";
    args[1] = "sign";
    args[2] = "--config=" + config;
    System.arraycopy(more, 0, args, 3, more.length);
    return run(args);
  }
}
