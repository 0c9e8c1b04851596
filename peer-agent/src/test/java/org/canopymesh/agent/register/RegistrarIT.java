package org.canopymesh.agent.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.json.JsonTree;
import org.canopymesh.agent.mirror.MirrorApi;
import org.canopymesh.agent.testing.FakeMirror;
import org.canopymesh.agent.testing.Records;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.Service;
import org.canopymesh.naming.record.SignedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrarIT {
  static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
  final SigningKey node = Records.newKey();
  final List<FakeMirror> mirrors = new ArrayList<>();
  @TempDir Path state;

  AgentConfig config() {
    for (String o : List.of("a.example/log", "b.example/log", "c.example/log")) {
      mirrors.add(FakeMirror.start(o));
    }
    return AgentConfig.defaults()
        .withStateDir(state)
        .withMirrors(mirrors.stream().map(FakeMirror::asConfigured).toList(), 2);
  }

  @AfterEach
  void stop() {
    mirrors.forEach(FakeMirror::close);
  }

  Registrar registrar(AgentConfig c, Instant now) {
    return new Registrar(c, node, new MirrorApi(Duration.ofSeconds(5)), clockAt(now));
  }

  static Clock clockAt(Instant t) {
    return Clock.fixed(t, ZoneOffset.UTC);
  }

  @Test
  void registersABareLabelInTheFirstZoneWithTheQuorumAndStoresIt() {
    AgentConfig c = config();
    mirrors.get(2).close();
    Registration r =
        registrar(c, T0)
            .register(
                "wiki", List.of(Service.parse("http:tcp:80")), List.of("hi"), Duration.ofDays(30));
    assertTrue(r.accepted());
    assertEquals("wiki.mesh.alt", r.record().record().name());
    assertEquals(List.of(201, 201, 0), r.answers().stream().map(a -> a.status()).toList());
    assertEquals(1, mirrors.get(0).entries().size());
    assertEquals(List.of(r.record()), registrar(c, T0).registered());
  }

  @Test
  void doesNotStoreARecordFewerThanTheQuorumAccepted() {
    AgentConfig c = config();
    mirrors.get(0).acceptSubmissions(false);
    mirrors.get(1).acceptSubmissions(false);
    Registration r = registrar(c, T0).register("wiki", List.of(), List.of(), Duration.ofDays(30));
    assertFalse(r.accepted());
    assertEquals(409, r.answers().get(0).status());
    assertEquals("taken", r.answers().get(0).outcome());
    assertEquals(List.of(), registrar(c, T0).registered());
  }

  @Test
  void renewsWhenAThirdOfTheLifetimeIsLeftWithAHigherSeq() {
    AgentConfig c = config();
    SignedRecord first =
        registrar(c, T0).register("wiki", List.of(), List.of("x"), Duration.ofDays(30)).record();
    assertEquals(List.of(), registrar(c, T0.plus(Duration.ofDays(19))).renewDue());
    List<Registration> renewed = registrar(c, T0.plus(Duration.ofDays(20))).renewDue();
    assertEquals(1, renewed.size());
    NameRecord r = renewed.get(0).record().record();
    assertTrue(r.seq() > first.record().seq());
    assertEquals(T0.plus(Duration.ofDays(50)), r.expires());
    assertEquals(List.of("x"), r.texts());
    assertTrue(first.record().isRenewedBy(r));
    assertEquals(2, mirrors.get(0).entries().size());
  }

  @Test
  void anUnregisteredNameIsNoLongerRenewed() {
    AgentConfig c = config();
    registrar(c, T0).register("wiki", List.of(), List.of(), Duration.ofDays(30));
    assertTrue(registrar(c, T0).unregister("wiki"));
    assertFalse(registrar(c, T0).unregister("wiki"));
    assertEquals(List.of(), registrar(c, T0.plus(Duration.ofDays(25))).renewDue());
  }

  @Test
  void theNodeInfoSnippetIsJsonHoldingTheRecordNotes() {
    AgentConfig c = config();
    SignedRecord r =
        registrar(c, T0).register("wiki", List.of(), List.of(), Duration.ofDays(30)).record();
    String snippet = Registrar.nodeInfo(List.of(r));
    assertTrue(snippet.startsWith("\"canopy\": "));
    Object tree =
        JsonTree.parse(
            ("{" + snippet + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8),
            JsonTree.Limits.CONFIG);
    assertEquals(
        java.util.Map.of("canopy", java.util.Map.of("records", List.of(r.format()))), tree);
  }
}
