package org.canopymesh.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as a node operator runs it, next to the real Yggdrasil: the three commands of the
 * README give the same address and subnet as {@code yggdrasil -address} and {@code -subnet}, and a
 * record that verifies.
 */
class AgentJarIT {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  @Test
  void readmeQuickStartWorksAgainstARealYggdrasilConfig() throws Exception {
    String ygg = yggdrasil();
    Path conf = dir.resolve("yggdrasil.conf");
    Files.writeString(conf, exec(null, ygg, "-genconf").out());
    String yggAddress = exec(null, ygg, "-useconffile", conf.toString(), "-address").out().strip();
    String yggSubnet = exec(null, ygg, "-useconffile", conf.toString(), "-subnet").out().strip();

    Run address = agent(null, "address", "--config", conf.toString());
    assertEquals(0, address.code(), address.err());
    String[] lines = address.out().split("\n");
    assertEquals(yggAddress, lines[0]);
    assertEquals(yggSubnet, lines[1]);

    Run decoded = agent(null, "meship", "decode", lines[2]);
    assertEquals(yggAddress, decoded.out().strip());

    Run sign =
        agent(
            null,
            "record",
            "sign",
            "--config",
            conf.toString(),
            "--name",
            "wiki.mesh.alt",
            "--srv",
            "http:tcp:80");
    assertEquals(0, sign.code(), sign.err());

    Run verify = agent(sign.out(), "record", "verify", "-");
    assertEquals(0, verify.code(), verify.out() + verify.err());
    assertEquals("valid wiki.mesh.alt " + yggAddress, verify.out().strip());
  }

  @Test
  void exitCodesAndOneLineErrorsFromTheRealProcess() throws Exception {
    Run tampered = agent("canopy-record/v1\nname x\n\n\u2014 a AAAAAAA=\n", "record", "verify");
    assertEquals(1, tampered.code(), tampered.err());
    assertTrue(tampered.out().startsWith("invalid: "), tampered.out());

    Run missing = agent(null, "record", "verify", dir.resolve("nope").toString());
    assertEquals(2, missing.code());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());

    Run huge = agent("x".repeat(1 << 20), "record", "verify");
    assertEquals(1, huge.code());
    assertTrue(huge.out().startsWith("invalid: too large"), huge.out());

    Run version = agent(null, "--version");
    assertEquals(0, version.code());
    assertTrue(version.out().startsWith("canopy-agent "), version.out());
  }

  private Run agent(String stdin, String... args) throws IOException, InterruptedException {
    String jar = System.getProperty("canopy.agent.jar");
    assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the shaded jar is built: " + jar);
    List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-jar", jar));
    cmd.addAll(List.of(args));
    return exec(stdin, cmd.toArray(String[]::new));
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private Run exec(String stdin, String... cmd) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (stdin != null) {
      try (var in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The process may stop reading early (it reads at most one record's worth): fine.
      }
    } else {
      p.getOutputStream().close();
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("did not finish in 60 s: " + String.join(" ", cmd));
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** The binary, or a failure that says how to install it. */
  private static String yggdrasil() {
    for (String p :
        List.of("/usr/sbin/yggdrasil", "/usr/bin/yggdrasil", "/usr/local/bin/yggdrasil")) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    fail("this test runs the real yggdrasil; install it with 'apt-get install yggdrasil'");
    return null;
  }
}
