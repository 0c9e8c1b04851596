package org.canopymesh.naming.address;

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
import org.canopymesh.naming.key.NodeKeys;
import org.canopymesh.naming.key.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regenerates address vectors with the real {@code yggdrasil} binary and checks the library agrees:
 * fresh keys every run, in both config formats.
 */
class YggdrasilAddressIT {
  private static final int FRESH_CONFIGS = 10;

  @TempDir Path dir;

  @Test
  void agreesWithYggdrasilOnFreshlyGeneratedConfigs() throws Exception {
    String ygg = yggdrasil();
    for (int i = 0; i < FRESH_CONFIGS; i++) {
      boolean json = i % 2 == 0;
      Path conf = dir.resolve("c" + i + (json ? ".json" : ".hjson"));
      List<String> genconf = new ArrayList<>(List.of(ygg, "-genconf"));
      if (json) {
        genconf.add("-json");
      }
      Files.writeString(conf, run(genconf));
      String address = run(List.of(ygg, "-useconffile", conf.toString(), "-address")).strip();
      String subnet = run(List.of(ygg, "-useconffile", conf.toString(), "-subnet")).strip();

      SigningKey key = NodeKeys.fromYggdrasilConfig(conf);
      assertEquals(address, OverlayAddress.forKey(key.verifyingKey()).toString(), conf.toString());
      assertEquals(subnet, Subnet.forKey(key.verifyingKey()).toString(), conf.toString());
    }
  }

  /** The binary, or a failure that says how to install it: this test never passes silently. */
  static String yggdrasil() {
    for (String p :
        List.of("/usr/sbin/yggdrasil", "/usr/bin/yggdrasil", "/usr/local/bin/yggdrasil")) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    fail(
        "the yggdrasil binary is needed to regenerate address vectors; "
            + "install it with 'apt-get install yggdrasil' (Debian/Ubuntu)");
    return null;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "yggdrasil did not finish: " + command);
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "yggdrasil failed: " + command + "\n" + text);
    return text;
  }
}
