package org.canopymesh.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.config.ConfigReader;
import org.canopymesh.agent.names.Lookup;
import org.canopymesh.agent.testing.FakeMirror;
import org.canopymesh.agent.testing.Records;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.record.SignedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verified log copy against fake mirrors over HTTP, honest and hostile. */
class LogSyncIT {
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final SigningKey alice = Records.newKey();
  final SigningKey bob = Records.newKey();
  final SigningKey carol = Records.newKey();
  final List<FakeMirror> mirrors = new ArrayList<>();
  @TempDir Path state;

  @BeforeEach
  void startMirrors() {
    for (String o : List.of("a.example/log", "b.example/log", "c.example/log")) {
      mirrors.add(FakeMirror.start(o));
    }
  }

  @AfterEach
  void stopMirrors() {
    mirrors.forEach(FakeMirror::close);
  }

  AgentConfig config() {
    return ConfigReader.parse("{}".getBytes())
        .withStateDir(state)
        .withMirrors(mirrors.stream().map(FakeMirror::asConfigured).toList(), 2);
  }

  SignedRecord rec(SigningKey k, String name) {
    return Records.record(k, name, 1, NOW.minusSeconds(3600));
  }

  void serveAll(List<SignedRecord> log) {
    mirrors.forEach(m -> m.serve(log));
  }

  static Lookup lookup(LogSync s, String name) {
    return s.names().lookup(name, NOW);
  }

  MirrorStatus status(LogSync s, int i) {
    return s.status().get(i);
  }

  @Test
  void servesNamesThatTheQuorumOfVerifiedLogsAgreesOn() {
    serveAll(List.of(rec(alice, "wiki.mesh.alt"), rec(bob, "chat.mesh.alt")));
    try (LogSync s = LogSync.open(config(), clock)) {
      assertInstanceOf(Lookup.Absent.class, lookup(s, "wiki.mesh.alt"));
      s.syncAll();
      Lookup.Resolved r = assertInstanceOf(Lookup.Resolved.class, lookup(s, "wiki.mesh.alt"));
      assertEquals(rec(alice, "wiki.mesh.alt").record().address(), r.name().address());
      assertEquals(List.of("hello from wiki.mesh.alt"), r.name().texts());
      for (MirrorStatus m : s.status()) {
        assertTrue(m.counted());
        assertEquals(Optional.empty(), m.fault());
        assertEquals(2, m.entries());
      }
    }
  }

  @Test
  void distrustsAMirrorServingAForgedRecordAndResolvesFromTheOthers() {
    SignedRecord good = rec(alice, "wiki.mesh.alt");
    serveAll(List.of(good));
    List<byte[]> forgedLog = List.of(good.encoded(), Records.forged(rec(bob, "evil.mesh.alt")));
    mirrors.get(0).serveEntries(forgedLog, forgedLog);
    try (LogSync s = LogSync.open(config(), clock)) {
      s.syncAll();
      assertEquals(Optional.of(Fault.FORGED_RECORD), status(s, 0).fault());
      assertFalse(status(s, 0).counted());
      assertInstanceOf(Lookup.Resolved.class, lookup(s, "wiki.mesh.alt"));
      assertInstanceOf(Lookup.Absent.class, lookup(s, "evil.mesh.alt"));
    }
  }

  @Test
  void distrustsAMirrorWhoseEntriesDoNotHashToItsCheckpoint() {
    SignedRecord a = rec(alice, "wiki.mesh.alt");
    SignedRecord b = rec(bob, "wiki.mesh.alt");
    serveAll(List.of(a));
    mirrors.get(1).serveEntries(List.of(a.encoded()), List.of(b.encoded()));
    try (LogSync s = LogSync.open(config(), clock)) {
      s.syncAll();
      assertEquals(Optional.of(Fault.WRONG_ROOT), status(s, 1).fault());
      assertEquals(0, status(s, 1).entries(), "nothing of the bad page is kept");
      Lookup.Resolved r = assertInstanceOf(Lookup.Resolved.class, lookup(s, "wiki.mesh.alt"));
      assertEquals(a.record().address(), r.name().address());
    }
  }

  @Test
  void detectsRollbackAndTrustsTheMirrorAgainOnceItIsConsistent() {
    SignedRecord a = rec(alice, "wiki.mesh.alt");
    SignedRecord b = rec(bob, "chat.mesh.alt");
    SignedRecord c = rec(carol, "blog.mesh.alt");
    serveAll(List.of(a, b));
    try (LogSync s = LogSync.open(config(), clock)) {
      s.syncAll();
      mirrors.get(2).serve(List.of(a));
      s.syncAll();
      assertEquals(Optional.of(Fault.ROLLBACK), status(s, 2).fault());
      assertFalse(status(s, 2).counted());
      mirrors.get(2).serve(List.of(a, b, c));
      s.syncAll();
      assertTrue(status(s, 2).counted());
      assertEquals(3, status(s, 2).entries());
    }
  }

  @Test
  void detectsTwoRootsSignedForOneSize() {
    serveAll(List.of(rec(alice, "wiki.mesh.alt")));
    try (LogSync s = LogSync.open(config(), clock)) {
      s.syncAll();
      mirrors.get(0).serve(List.of(rec(bob, "wiki.mesh.alt")));
      s.syncAll();
      assertEquals(Optional.of(Fault.SPLIT_VIEW), status(s, 0).fault());
    }
  }

  @Test
  void detectsAGrownLogThatRewroteItsPast() {
    serveAll(List.of(rec(alice, "wiki.mesh.alt")));
    try (LogSync s = LogSync.open(config(), clock)) {
      s.syncAll();
      mirrors.get(0).serve(List.of(rec(bob, "wiki.mesh.alt"), rec(carol, "x.mesh.alt")));
      s.syncAll();
      assertEquals(Optional.of(Fault.INCONSISTENT), status(s, 0).fault());
    }
  }

  @Test
  void refusesACheckpointNotSignedByTheConfiguredKey() {
    serveAll(List.of(rec(alice, "wiki.mesh.alt")));
    FakeMirror impostor = FakeMirror.start("a.example/log");
    try (LogSync s = LogSync.open(config(), clock)) {
      mirrors.get(0).serveCheckpoint(impostor.checkpoint());
      s.syncAll();
      assertEquals(Optional.of(Fault.BAD_SIGNATURE), status(s, 0).fault());
    } finally {
      impostor.close();
    }
  }

  @Test
  void keepsServingWithOneMirrorDownAndWithAllDown() {
    serveAll(List.of(rec(alice, "wiki.mesh.alt")));
    try (LogSync s = LogSync.open(config(), clock)) {
      s.syncAll();
      mirrors.get(0).close();
      s.syncAll();
      assertEquals(Optional.of(Fault.UNREACHABLE), status(s, 0).fault());
      assertTrue(status(s, 0).counted(), "a mirror that is down keeps its verified copy");
      mirrors.forEach(FakeMirror::close);
      s.syncAll();
      assertInstanceOf(Lookup.Resolved.class, lookup(s, "wiki.mesh.alt"));
    }
    try (LogSync restarted = LogSync.open(config(), clock)) {
      assertInstanceOf(
          Lookup.Resolved.class,
          lookup(restarted, "wiki.mesh.alt"),
          "after a restart with every mirror down, names come from disk");
    }
  }

  @Test
  void aNameTheMirrorsDisagreeOnIsContestedAndDoesNotResolve() {
    mirrors.get(0).serve(List.of(rec(alice, "wiki.mesh.alt")));
    mirrors.get(1).serve(List.of(rec(bob, "wiki.mesh.alt")));
    mirrors.get(2).serve(List.of(rec(carol, "wiki.mesh.alt")));
    try (LogSync s = LogSync.open(config(), clock)) {
      s.syncAll();
      Lookup.Contested c = assertInstanceOf(Lookup.Contested.class, lookup(s, "wiki.mesh.alt"));
      assertEquals(3, c.votes().size());
      assertEquals(List.of("wiki.mesh.alt"), s.contested());
    }
  }

  @Test
  void twoOfThreeAgreeingIsEnough() {
    mirrors.get(0).serve(List.of(rec(alice, "wiki.mesh.alt")));
    mirrors.get(1).serve(List.of(rec(alice, "wiki.mesh.alt")));
    mirrors.get(2).serve(List.of(rec(bob, "wiki.mesh.alt")));
    try (LogSync s = LogSync.open(config(), clock)) {
      s.syncAll();
      Lookup.Resolved r = assertInstanceOf(Lookup.Resolved.class, lookup(s, "wiki.mesh.alt"));
      assertEquals(rec(alice, "x.mesh.alt").record().address(), r.name().address());
    }
  }

  @Test
  void catchesUpALogOfManyPagesAndGrowsItConsistently() {
    List<SignedRecord> log = new ArrayList<>();
    SigningKey[] keys = new SigningKey[200];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = Records.newKey();
    }
    for (int i = 0; i < 2500; i++) {
      log.add(rec(keys[i % keys.length], "n" + i + ".mesh.alt"));
    }
    serveAll(log.subList(0, 2200));
    try (LogSync s = LogSync.open(config(), clock)) {
      s.syncAll();
      serveAll(log);
      s.syncAll();
      for (MirrorStatus m : s.status()) {
        assertEquals(2500, m.entries(), m.toString());
        assertTrue(m.counted());
      }
      assertInstanceOf(Lookup.Resolved.class, lookup(s, "n2400.mesh.alt"));
    }
  }

  @Test
  void countsCosignaturesByTheOtherConfiguredMirrors() {
    serveAll(List.of(rec(alice, "wiki.mesh.alt")));
    mirrors.get(0).cosignedBy(List.of(mirrors.get(1), mirrors.get(2)));
    try (LogSync s = LogSync.open(config(), clock)) {
      s.syncAll();
      assertEquals(2, status(s, 0).cosigners());
      assertEquals(0, status(s, 1).cosigners());
    }
  }

  @Test
  void discardsACorruptCopyOnDiskAndFetchesItAgain() throws IOException {
    serveAll(List.of(rec(alice, "wiki.mesh.alt")));
    try (LogSync s = LogSync.open(config(), clock)) {
      s.syncAll();
    }
    Path entries = LogSync.dir(state, config().mirrors().get(0)).resolve("entries");
    byte[] b = Files.readAllBytes(entries);
    b[b.length - 100] ^= 1;
    Files.write(entries, b);
    try (LogSync s = LogSync.open(config(), clock)) {
      assertEquals(0, status(s, 0).entries(), "the corrupt copy is dropped");
      assertEquals(1, status(s, 1).entries());
      assertInstanceOf(Lookup.Resolved.class, lookup(s, "wiki.mesh.alt"));
      s.syncAll();
      assertEquals(1, status(s, 0).entries());
    }
  }

  @Test
  void aDistrustedMirrorStaysDistrustedAcrossARestart() {
    List<byte[]> forgedLog = List.of(Records.forged(rec(bob, "evil.mesh.alt")));
    serveAll(List.of(rec(alice, "wiki.mesh.alt")));
    try (LogSync s = LogSync.open(config(), clock)) {
      s.syncAll();
      mirrors.get(0).serveEntries(forgedLog, forgedLog);
      s.syncAll();
    }
    try (LogSync s = LogSync.open(config(), clock)) {
      assertFalse(status(s, 0).counted());
    }
  }
}
