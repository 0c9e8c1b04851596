package org.canopymesh.crawler.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.canopymesh.crawler.testing.IndependentCheck;
import org.canopymesh.crawler.testing.MirrorProcess;
import org.canopymesh.crawler.testing.TestRecords;
import org.canopymesh.naming.checkpoint.Cosignatures;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.note.Note;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real mirrors (three packaged crawler processes, each with its own embedded PostgreSQL),
 * each the peer of the other two: records submitted to one reach all, with proofs that verify
 * against each mirror's own checkpoint; checkpoints carry the others' cosignatures; a mirror that
 * was down catches up.
 */
class MirrorNetworkIT {
  static final Duration SYNC = Duration.ofSeconds(2);

  /** "Within two sync intervals", plus the time a checkpoint may wait. */
  static final Duration CONVERGE = SYNC.multipliedBy(2).plusSeconds(2);

  @TempDir Path dir;
  final List<MirrorProcess> mirrors = new ArrayList<>();
  final SecureRandom random = new SecureRandom();

  @AfterEach
  void stopAll() {
    mirrors.forEach(MirrorProcess::close);
  }

  private List<MirrorProcess> startThree() {
    for (String name : List.of("a", "b", "c")) {
      configure(name);
    }
    MirrorProcess a = mirrors.get(0);
    MirrorProcess b = mirrors.get(1);
    MirrorProcess c = mirrors.get(2);
    a.peers(b, c);
    b.peers(a, c);
    c.peers(a, b);
    mirrors.parallelStream().forEach(MirrorProcess::start);
    return mirrors;
  }

  @Test
  void aRecordSubmittedToOneIsServedWithAValidProofByAll() {
    startThree();
    String record = TestRecords.note(SigningKey.generate(random), "wiki.mesh.alt");
    assertEquals(201, mirrors.get(1).submit(record).statusCode());
    for (MirrorProcess m : mirrors) {
      awaitName(m, "wiki.mesh.alt", record, CONVERGE);
    }
  }

  @Test
  void checkpointsCarryTheOtherMirrorsCosignatures() {
    startThree();
    assertEquals(
        201,
        mirrors
            .get(0)
            .submit(TestRecords.note(SigningKey.generate(random), "mail.mesh.alt"))
            .statusCode());
    for (MirrorProcess m : mirrors) {
      List<MirrorProcess> others = mirrors.stream().filter(o -> o != m).toList();
      m.await(
          () -> cosignedBy(m, others),
          CONVERGE.plus(SYNC),
          "checkpoints of " + m.origin() + " cosigned by the others");
    }
  }

  @Test
  void aMirrorThatWasDownCatchesUpAndAllAgree() {
    startThree();
    MirrorProcess c = mirrors.get(2);
    c.stop();
    List<String> records = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String r = TestRecords.note(SigningKey.generate(random), "host" + i + ".mesh.alt");
      records.add(r);
      assertEquals(201, mirrors.get(i % 2).submit(r).statusCode());
    }
    c.start();
    for (MirrorProcess m : mirrors) {
      m.await(
          () -> m.getJson("/api/v1/mirror").path("checkpointSize").asLong() == 30,
          CONVERGE.plus(SYNC),
          m.origin() + " to hold all 30 records");
    }
    for (int i = 0; i < records.size(); i++) {
      for (MirrorProcess m : mirrors) {
        awaitName(m, "host" + i + ".mesh.alt", records.get(i), Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void claimsThatRacedAreReportedAsContestedByBothMirrors() {
    MirrorProcess a = configure("a");
    MirrorProcess b = configure("b");
    mirrors.parallelStream().forEach(MirrorProcess::start);
    // Apart, each mirror takes the first claim it sees: two different first owners.
    String first = TestRecords.note(SigningKey.generate(random), "race.mesh.alt");
    String second = TestRecords.note(SigningKey.generate(random), "race.mesh.alt");
    assertEquals(201, a.submit(first).statusCode());
    assertEquals(201, b.submit(second).statusCode());
    mirrors.parallelStream().forEach(MirrorProcess::stop);
    a.peers(b);
    b.peers(a);
    mirrors.parallelStream().forEach(MirrorProcess::start);
    for (MirrorProcess m : mirrors) {
      m.await(
          () ->
              "contested".equals(m.getJson("/api/v1/names/race.mesh.alt").path("status").asText()),
          CONVERGE,
          m.origin() + " to report race.mesh.alt contested");
      JsonNode answer = m.getJson("/api/v1/names/race.mesh.alt");
      assertEquals(m == a ? first : second, IndependentCheck.nameAnswer(answer, m.verifierKey()));
      List<String> claims = new ArrayList<>();
      for (JsonNode claim : answer.path("claims")) {
        ObjectNode asAnswer = claim.deepCopy();
        asAnswer.put("checkpoint", answer.path("checkpoint").asText());
        claims.add(IndependentCheck.nameAnswer(asAnswer, m.verifierKey()));
      }
      assertEquals(
          List.of(first, second).stream().sorted().toList(), claims.stream().sorted().toList());
    }
  }

  private MirrorProcess configure(String name) {
    MirrorProcess m =
        MirrorProcess.create(dir.resolve(name), "mirror-" + name + ".test/log")
            .set("canopy.mirror.sync-interval", SYNC.toSeconds() + "s")
            .set("canopy.mirror.checkpoint-interval", "500ms");
    mirrors.add(m);
    return m;
  }

  /** Waits until {@code m} serves {@code record} for {@code name}, and checks the proof. */
  private static void awaitName(MirrorProcess m, String name, String record, Duration timeout) {
    m.await(
        () -> m.status("/api/v1/names/" + name) == 200, timeout, m.origin() + " to serve " + name);
    JsonNode answer = m.getJson("/api/v1/names/" + name);
    assertEquals("active", answer.path("status").asText(), answer.toString());
    assertEquals(record, IndependentCheck.nameAnswer(answer, m.verifierKey()));
  }

  /**
   * Whether {@code m}'s served checkpoint carries a valid cosignature by each of {@code others}.
   */
  private static boolean cosignedBy(MirrorProcess m, List<MirrorProcess> others) {
    String note = m.get("/api/v1/log/checkpoint").body();
    IndependentCheck.checkpoint(note, m.verifierKey());
    Note parsed = Note.parse(note);
    for (MirrorProcess o : others) {
      var key = o.verifierKey();
      if (!parsed.isSignedBy(Cosignatures.verifier(key.name(), key.key()))) {
        return false;
      }
    }
    assertTrue(parsed.signatures().size() >= 3, note);
    return true;
  }
}
