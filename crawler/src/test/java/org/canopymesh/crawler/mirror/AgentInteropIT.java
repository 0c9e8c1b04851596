package org.canopymesh.crawler.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.canopymesh.crawler.testing.AgentProcess;
import org.canopymesh.crawler.testing.MirrorProcess;
import org.canopymesh.crawler.testing.TestRecords;
import org.canopymesh.naming.key.SigningKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged peer agent against three real mirrors (packaged crawlers, each with its own embedded
 * PostgreSQL): it registers a name with them, syncs and verifies their logs, serves the name over
 * DNS (checked with kdig), keeps serving when mirrors go down and after its own restart, and
 * refuses to resolve a name the mirrors disagree on.
 */
class AgentInteropIT {
  static final Duration SOON = Duration.ofSeconds(60);
  @TempDir Path dir;
  final SecureRandom random = new SecureRandom();
  final List<MirrorProcess> mirrors = new ArrayList<>();
  final List<AgentProcess> agents = new ArrayList<>();

  @AfterEach
  void stopAll() {
    agents.forEach(AgentProcess::close);
    mirrors.forEach(MirrorProcess::close);
  }

  private void startMirrors(boolean peered) {
    for (String name : List.of("a", "b", "c")) {
      mirrors.add(
          MirrorProcess.create(dir.resolve(name), "mesh.alt/mirror/" + name)
              .set("canopy.mirror.sync-interval", "2s"));
    }
    if (peered) {
      mirrors.get(0).peers(mirrors.get(1), mirrors.get(2));
      mirrors.get(1).peers(mirrors.get(0), mirrors.get(2));
      mirrors.get(2).peers(mirrors.get(0), mirrors.get(1));
    }
    mirrors.parallelStream().forEach(MirrorProcess::start);
  }

  private AgentProcess agent(SigningKey key) {
    AgentProcess a = AgentProcess.create(dir.resolve("agent"), key, mirrors);
    agents.add(a);
    return a;
  }

  @Test
  void registersAndServesANameAndKeepsServingWithTheMirrorsDown() {
    startMirrors(true);
    SigningKey node = SigningKey.generate(random);
    AgentProcess agent = agent(node);
    String address = agent.address().toString();

    AgentProcess.Result reg =
        agent.command("register", "wiki", "--srv", "http:tcp:80", "--txt", "hello");
    assertEquals(0, reg.exit(), reg.out() + reg.err());
    assertEquals(3, reg.out().lines().filter(l -> l.matches(".*: 20[01] .*")).count(), reg.out());
    assertTrue(reg.out().contains("\"canopy\": {\"records\":"), reg.out());

    agent.start();
    agent.await(
        () -> agent.dig("+short", "wiki.mesh.alt", "AAAA").contains(address),
        SOON,
        "wiki.mesh.alt to resolve to " + address);
    assertEquals(
        List.of("0 0 80 wiki.mesh.alt."), agent.dig("+short", "_http._tcp.wiki.mesh.alt", "SRV"));
    assertEquals(List.of("\"hello\""), agent.dig("+short", "wiki.mesh.alt", "TXT"));
    agent.await(
        () -> agent.command("status", "--json").out().split("\"fault\":null").length == 4,
        SOON,
        "all three mirrors verified");

    mirrors.get(0).kill();
    agent.await(
        () -> agent.command("status", "--json").out().contains("\"fault\":\"UNREACHABLE\""),
        SOON,
        "the agent to see mirror a down");
    assertTrue(agent.dig("+short", "wiki.mesh.alt", "AAAA").contains(address));

    mirrors.get(1).kill();
    mirrors.get(2).kill();
    agent.stop();
    agent.start();
    agent.await(
        () -> agent.dig("+short", "wiki.mesh.alt", "AAAA").contains(address),
        Duration.ofSeconds(20),
        "the restarted agent to serve from disk with every mirror down");
    AgentProcess.Result resolved = agent.command("resolve", "wiki", "AAAA");
    assertEquals(0, resolved.exit(), resolved.err());
    assertTrue(resolved.out().contains("AAAA " + address), resolved.out());
  }

  @Test
  void aNameTheMirrorsDisagreeOnIsContestedAndDoesNotResolve() {
    startMirrors(false);
    for (MirrorProcess m : mirrors) {
      String record = TestRecords.note(SigningKey.generate(random), "race.mesh.alt");
      assertEquals(201, m.submit(record).statusCode());
    }
    AgentProcess agent = agent(SigningKey.generate(random)).start();
    agent.await(
        () -> agent.command("status", "--json").out().contains("\"contested\":[\"race.mesh.alt\"]"),
        SOON,
        "race.mesh.alt to be listed as contested");
    assertEquals("NXDOMAIN", agent.rcode("race.mesh.alt", "AAAA"));
    AgentProcess.Result r = agent.command("resolve", "race");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("contested"), r.err());
  }
}
