package org.canopymesh.crawler.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.NodeKeys;
import org.canopymesh.naming.key.SigningKey;

/**
 * The packaged peer agent ({@code canopy-agent.jar}) as a process: its config, key and state in a
 * directory of its own, its DNS and status on free loopback ports. Commands ({@code register},
 * {@code resolve}, {@code status}) run as separate processes, as an operator runs them.
 */
public final class AgentProcess implements AutoCloseable {
  private final Path dir;
  private final Path config;
  private final SigningKey key;
  public final int dnsPort = MirrorProcess.freePort();
  private Process daemon;

  /** The output and exit code of one command. */
  public record Result(int exit, String out, String err) {}

  private AgentProcess(Path dir, SigningKey key, List<MirrorProcess> mirrors) {
    this.dir = dir;
    this.key = key;
    this.config = dir.resolve("agent.json");
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("node.key"), NodeKeys.formatKeyFile(key));
      List<String> items = new ArrayList<>();
      for (MirrorProcess m : mirrors) {
        items.add("{\"url\": \"%s\", \"key\": \"%s\"}".formatted(m.url(), m.verifierKey()));
      }
      Files.writeString(
          config,
          """
          {
            "admin": "tcp://127.0.0.1:9",
            "keyFile": "%s",
            "dnsListen": ["127.0.0.1:%d"],
            "statusListen": "127.0.0.1:%d",
            "mirrors": [%s],
            "syncInterval": "1s",
            "stateDir": "%s"
          }
          """
              .formatted(
                  dir.resolve("node.key"),
                  dnsPort,
                  MirrorProcess.freePort(),
                  String.join(", ", items),
                  dir.resolve("state")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static AgentProcess create(Path dir, SigningKey key, List<MirrorProcess> mirrors) {
    return new AgentProcess(dir, key, mirrors);
  }

  public OverlayAddress address() {
    return OverlayAddress.forKey(key.verifyingKey());
  }

  private static List<String> java(String... args) {
    String jar = System.getProperty("canopy.agent.jar");
    assertTrue(jar != null && Files.exists(Path.of(jar)), "the packaged agent exists: " + jar);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx64m");
    cmd.add("-jar");
    cmd.add(jar);
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs {@code canopy-agent ARGS --config <this agent's config>} and waits for it. */
  public Result command(String... args) {
    List<String> cmd = java(args);
    cmd.add("--config");
    cmd.add(config.toString());
    return run(cmd);
  }

  public static Result run(List<String> cmd) {
    try {
      Path out = Files.createTempFile("agent", ".out");
      Path err = Files.createTempFile("agent", ".err");
      Process p =
          new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("timed out: " + cmd);
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts {@code canopy-agent run}. */
  public AgentProcess start() {
    List<String> cmd = java("run", "--config", config.toString());
    try {
      daemon =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** SIGTERM and wait: a clean stop. */
  public void stop() {
    if (daemon != null && daemon.isAlive()) {
      daemon.destroy();
      try {
        if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
          daemon.destroyForcibly();
          fail("the agent did not stop on SIGTERM; log:\n" + log());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** {@code kdig} at this agent's DNS port: the answer lines of {@code +short}. */
  public List<String> dig(String... query) {
    List<String> cmd = new ArrayList<>(List.of("kdig", "@127.0.0.1", "-p", "" + dnsPort));
    cmd.add("+time=2");
    cmd.add("+retry=0");
    cmd.addAll(List.of(query));
    Result r;
    try {
      r = run(cmd);
    } catch (UncheckedIOException e) {
      throw new AssertionError(
          "kdig is needed: apt-get install knot-dnsutils (" + e.getMessage() + ")", e);
    }
    return r.out().lines().toList();
  }

  /** The rcode kdig reports, e.g. NOERROR or NXDOMAIN. */
  public String rcode(String name, String type) {
    for (String l : dig(name, type)) {
      int i = l.indexOf("status: ");
      if (i >= 0) {
        return l.substring(i + 8).split("[,;\\s]")[0];
      }
    }
    return "(no answer)";
  }

  public void await(BooleanSupplier check, Duration timeout, String what) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (daemon != null && !daemon.isAlive()) {
        fail("the agent exited while waiting for " + what + "; log:\n" + log());
      }
      if (check.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(200); // polling interval of the wait loop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
    fail("timed out waiting for " + what + "; agent log:\n" + log());
  }

  public String log() {
    try {
      String log = Files.readString(dir.resolve("agent.log"));
      return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (daemon != null) {
      daemon.destroyForcibly();
    }
  }
}
