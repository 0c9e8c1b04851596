package org.canopymesh.crawler.mirror;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.canopymesh.crawler.testing.FakeMirror;
import org.canopymesh.crawler.testing.IndependentCheck;
import org.canopymesh.crawler.testing.MirrorProcess;
import org.canopymesh.crawler.testing.TestRecords;
import org.canopymesh.naming.checkpoint.Cosignatures;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.note.NoteKeys;
import org.canopymesh.naming.note.NoteVerifier;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.SignedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real mirrors (the packaged service, each with its own PostgreSQL) syncing from a {@link
 * FakeMirror} that lies: it serves a forged record, entries that do not hash to its checkpoint, or
 * checkpoints that are not one growing tree. Nothing forged or unverified is appended, the evidence
 * is recorded and served, the liar is dropped, and honest mirrors keep working.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MaliciousPeerIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    Collections.reverse(running);
    Exception first = null;
    for (AutoCloseable c : running) {
      try {
        c.close();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  // ---- 1. a forged record ----

  @Test
  void forgedRecordIsNotAppendedAndLeavesEvidence(@TempDir Path dir) {
    // Two good records fill the first page; the second page starts with a broken signature.
    String good0 = record("good-0.mesh.alt");
    String good1 = record("good-1.mesh.alt");
    String flipped = FakeMirror.breakSignature(record("flipped.mesh.alt"));
    String after = record("after-forgery.mesh.alt");
    FakeMirror flipper = fake("mesh.alt/mirror/flipper");
    String flipperCheckpoint = flipper.serve(List.of(good0, good1, flipped, after));
    // A record whose key line names one key and whose signature is by another, after a good one
    // on the same page.
    String samePage = record("same-page.mesh.alt");
    String otherKey = signedByAnotherKey("other-key.mesh.alt");
    FakeMirror impostor = fake("mesh.alt/mirror/impostor");
    impostor.serve(List.of(samePage, otherKey));
    // An entry that is no record at all.
    String garbage = "canopy-record/v1\nname garbage.mesh.alt\n\n— nobody AAAA\n";
    FakeMirror babbler = fake("mesh.alt/mirror/babbler");
    babbler.serve(List.of(garbage, record("garbage-neighbour.mesh.alt")));

    MirrorProcess a =
        mirror(
                dir.resolve("a"),
                "mesh.alt/mirror/a",
                flipper.peerItem(),
                impostor.peerItem(),
                babbler.peerItem())
            .set("canopy.mirror.page-size", "2")
            .start();

    JsonNode e = awaitEvidence(a, flipper.origin(), "forged-record");
    assertEquals(flipperCheckpoint, e.path("first").asText(), "the checkpoint that logs it");
    assertEquals(flipped, e.path("second").asText(), "the forged entry itself");
    assertTrue(e.path("detail").asText().contains("entry 2 "), e.toString());
    JsonNode e2 = awaitEvidence(a, impostor.origin(), "forged-record");
    assertEquals(otherKey, e2.path("second").asText());
    assertTrue(e2.path("detail").asText().contains("entry 1 "), e2.toString());
    JsonNode e3 = awaitEvidence(a, babbler.origin(), "forged-record");
    assertEquals(garbage, e3.path("second").asText());
    assertTrue(e3.path("detail").asText().contains("entry 0 "), e3.toString());

    JsonNode flipperView = peer(a, flipper.origin());
    assertFalse(flipperView.path("trusted").asBoolean(true), flipperView.toString());
    assertEquals(2, flipperView.path("synced").asLong(), "only the first page was taken");
    JsonNode impostorView = peer(a, impostor.origin());
    assertFalse(impostorView.path("trusted").asBoolean(true), impostorView.toString());
    assertEquals(0, impostorView.path("synced").asLong(), "no page of it was taken");
    assertEquals(0, peer(a, babbler.origin()).path("synced").asLong());

    // The verified page is in the log; nothing of a page with a forgery is.
    assertEquals(sorted(List.of(good0, good1)), sorted(logEntries(a)));
    awaitName(a, "good-0.mesh.alt", good0);
    assertEquals(404, a.status("/api/v1/names/flipped.mesh.alt"));
    assertEquals(404, a.status("/api/v1/names/after-forgery.mesh.alt"));
    assertEquals(404, a.status("/api/v1/names/same-page.mesh.alt"));
    assertEquals(404, a.status("/api/v1/names/other-key.mesh.alt"));
    assertEquals(404, a.status("/api/v1/names/garbage-neighbour.mesh.alt"));
    assertEquals(3, evidence(a).size(), "one piece of evidence per liar: " + evidence(a));
  }

  // ---- 2. a wrong root ----

  @Test
  void entriesThatDoNotHashToTheCheckpointAreNotAppended(@TempDir Path dir) {
    // Its last page is not the one its checkpoint covers: the first page checks out by a
    // consistency proof and is taken; the last one fails the root check.
    List<String> lastTrue = records("last", 4);
    List<String> lastServed = new ArrayList<>(lastTrue);
    lastServed.set(3, record("last-swapped.mesh.alt"));
    FakeMirror lastPage = fake("mesh.alt/mirror/last-page");
    String lastCheckpoint = lastPage.serve(lastTrue, lastServed);
    // Its first page is not: its consistency proof to the checkpoint fails, nothing is taken.
    List<String> firstTrue = records("first", 4);
    List<String> firstServed = new ArrayList<>(firstTrue);
    firstServed.set(1, record("first-swapped.mesh.alt"));
    FakeMirror firstPage = fake("mesh.alt/mirror/first-page");
    firstPage.serve(firstTrue, firstServed);
    // A checkpoint over a root no entries have, with one page of valid records.
    List<String> rootless = records("rootless", 2);
    FakeMirror madeUp = fake("mesh.alt/mirror/made-up-root");
    madeUp.serve(rootless);
    String madeUpCheckpoint = madeUp.serveCheckpoint(madeUp.sign(2, randomHash()));
    MirrorProcess a =
        mirror(
                dir.resolve("a"),
                "mesh.alt/mirror/a",
                lastPage.peerItem(),
                firstPage.peerItem(),
                madeUp.peerItem())
            .set("canopy.mirror.page-size", "2")
            .start();

    JsonNode e = awaitEvidence(a, lastPage.origin(), "wrong-root");
    assertEquals(lastCheckpoint, e.path("first").asText());
    awaitEvidence(a, firstPage.origin(), "wrong-root");
    assertEquals(
        madeUpCheckpoint, awaitEvidence(a, madeUp.origin(), "wrong-root").path("first").asText());

    assertEquals(2, peer(a, lastPage.origin()).path("synced").asLong());
    assertEquals(0, peer(a, firstPage.origin()).path("synced").asLong());
    assertEquals(0, peer(a, madeUp.origin()).path("synced").asLong());
    assertEquals(sorted(lastTrue.subList(0, 2)), sorted(logEntries(a)));
    assertEquals(404, a.status("/api/v1/names/last-swapped.mesh.alt"));
    assertEquals(404, a.status("/api/v1/names/last-2.mesh.alt"));
    assertEquals(404, a.status("/api/v1/names/first-0.mesh.alt"));
    assertEquals(404, a.status("/api/v1/names/rootless-0.mesh.alt"));
  }

  // ---- 3. inconsistent checkpoints ----

  /**
   * Four fakes, one mirror: each first serves a tree the mirror syncs, then a checkpoint that
   * cannot follow it (or that cannot follow one the mirror cosigned as a witness). Each is caught
   * on its own, with both signed checkpoints as evidence.
   */
  @Test
  void checkpointsThatAreNotOneGrowingTreeAreSplitViewsOrRollbacks(@TempDir Path dir) {
    // A larger tree that does not extend the synced one: no consistency proof can verify.
    List<String> grown = records("grown", 2);
    FakeMirror splitter = fake("mesh.alt/mirror/splitter");
    String grownFirst = splitter.serve(grown);
    // A smaller tree after a larger one, though a prefix of it.
    List<String> kept = records("kept", 3);
    FakeMirror shrinker = fake("mesh.alt/mirror/shrinker");
    String keptFirst = shrinker.serve(kept);
    // Two trees of one size.
    List<String> same = records("same", 2);
    FakeMirror twoFaced = fake("mesh.alt/mirror/two-faced");
    String sameFirst = twoFaced.serve(same);
    // One tree to the mirror's witness, another one to its sync.
    List<String> synced = records("synced", 2);
    FakeMirror twoChannels = fake("mesh.alt/mirror/two-channels");
    String syncedFirst = twoChannels.serve(synced);

    MirrorProcess a =
        mirror(
                dir.resolve("a"),
                "mesh.alt/mirror/a",
                splitter.peerItem(),
                shrinker.peerItem(),
                twoFaced.peerItem(),
                twoChannels.peerItem())
            .start();
    awaitSynced(a, splitter, 2);
    awaitSynced(a, shrinker, 3);
    awaitSynced(a, twoFaced, 2);
    awaitSynced(a, twoChannels, 2);

    String grownSecond = splitter.serve(records("forked", 3));
    String keptSecond = shrinker.serve(kept.subList(0, 1));
    String sameSecond = twoFaced.serve(List.of(same.get(0), record("other-1.mesh.alt")));
    assertNotEquals(sameFirst, sameSecond);
    // The witness cosigns a tree of size 3 (it keeps no other state of the log); the sync is then
    // shown a tree of size 4 that extends the synced one but not the cosigned one.
    String cosigned = twoChannels.sign(3, randomHash());
    assertStatus(200, FakeMirror.submitToWitness(a.url(), 0, List.of(), cosigned));
    List<String> extended = new ArrayList<>(synced);
    extended.addAll(records("extended", 2));
    String extendedCheckpoint = twoChannels.serve(extended);

    JsonNode split = awaitEvidence(a, splitter.origin(), "split-view");
    JsonNode rollback = awaitEvidence(a, shrinker.origin(), "rollback");
    JsonNode twoOfOneSize = awaitEvidence(a, twoFaced.origin(), "split-view");
    JsonNode acrossChannels = awaitEvidence(a, twoChannels.origin(), "split-view");
    assertAll(
        () -> assertEquals(grownFirst, split.path("first").asText(), "the checkpoint synced"),
        () -> assertEquals(grownSecond, split.path("second").asText(), "the one not extending it"),
        () -> assertTrue(split.path("detail").asText().contains("consistency"), split.toString()),
        () -> assertEquals(keptFirst, rollback.path("first").asText()),
        () -> assertEquals(keptSecond, rollback.path("second").asText()),
        () -> assertTrue(rollback.path("detail").asText().contains("size 1"), rollback.toString()),
        () -> assertEquals(sameFirst, twoOfOneSize.path("first").asText()),
        () -> assertEquals(sameSecond, twoOfOneSize.path("second").asText()),
        () ->
            assertTrue(
                twoOfOneSize.path("detail").asText().contains("size 2"), twoOfOneSize.toString()),
        () -> assertEquals(cosigned, acrossChannels.path("first").asText(), "the one cosigned"),
        () -> assertEquals(extendedCheckpoint, acrossChannels.path("second").asText()));

    // What was verified stays; nothing of the later trees is appended.
    List<String> verified = new ArrayList<>(grown);
    verified.addAll(kept);
    verified.addAll(same);
    verified.addAll(synced);
    assertEquals(sorted(verified), sorted(logEntries(a)));
    assertEquals(404, a.status("/api/v1/names/forked-2.mesh.alt"));
    assertEquals(404, a.status("/api/v1/names/other-1.mesh.alt"));
    assertEquals(404, a.status("/api/v1/names/extended-0.mesh.alt"));
    for (String[] p :
        List.of(
            new String[] {splitter.origin(), grownFirst, "2"},
            new String[] {shrinker.origin(), keptFirst, "3"},
            new String[] {twoFaced.origin(), sameFirst, "2"},
            new String[] {twoChannels.origin(), syncedFirst, "2"})) {
      JsonNode view = peer(a, p[0]);
      assertFalse(view.path("trusted").asBoolean(true), view.toString());
      assertEquals(p[1], view.path("checkpoint").asText(), "the verified checkpoint is kept");
      assertEquals(Long.parseLong(p[2]), view.path("size").asLong(), view.toString());
    }
  }

  // ---- 4. honest mirrors keep working ----

  @Test
  void honestMirrorsKeepWorkingAfterAPeerIsCaught(@TempDir Path dir) {
    String forged = FakeMirror.breakSignature(record("forged.mesh.alt"));
    FakeMirror fake = fake("mesh.alt/mirror/liar");
    String lie = fake.serve(List.of(record("bait.mesh.alt"), forged));

    MirrorProcess a = MirrorProcess.create(dir.resolve("a"), "mesh.alt/mirror/a");
    MirrorProcess b = MirrorProcess.create(dir.resolve("b"), "mesh.alt/mirror/b");
    configure(a, fake.peerItem(), item(b));
    configure(b, item(a));
    startTogether(a, b);
    JsonNode e = awaitEvidence(a, fake.origin(), "forged-record");
    assertEquals(forged, e.path("second").asText());

    // A record submitted to B reaches A, with a proof under A's own checkpoint.
    String toB = record("via-b.mesh.alt");
    HttpResponse<String> toBAnswer = b.submit(toB);
    assertEquals(201, toBAnswer.statusCode(), toBAnswer.body());
    awaitName(a, "via-b.mesh.alt", toB);
    // A still takes submissions, and B gets them.
    String toA = record("via-a.mesh.alt");
    HttpResponse<String> submitted = a.submit(toA);
    assertEquals(201, submitted.statusCode(), submitted.body());
    awaitName(b, "via-a.mesh.alt", toA);

    // The liar is no longer asked anything: two more rounds of syncing with B, and no request.
    int before = fake.requests("/api/v1/log/checkpoint");
    int entriesBefore = fake.requests("/api/v1/log/entries");
    awaitSyncRounds(a, b.origin(), 2);
    assertTrue(
        fake.requests("/api/v1/log/checkpoint") <= before + 1,
        "the liar's checkpoint was fetched again: "
            + before
            + " then "
            + fake.requests("/api/v1/log/checkpoint"));
    assertTrue(fake.requests("/api/v1/log/entries") <= entriesBefore + 1);

    // Neither mirror holds the forgery nor the page it came in; each trusts the other.
    assertFalse(logEntries(a).contains(forged));
    assertFalse(logEntries(b).contains(forged));
    assertEquals(404, a.status("/api/v1/names/bait.mesh.alt"));
    assertEquals(404, b.status("/api/v1/names/forged.mesh.alt"));
    assertTrue(peer(a, b.origin()).path("trusted").asBoolean(false));
    assertTrue(peer(b, a.origin()).path("trusted").asBoolean(false));
    assertEquals(
        List.of(fake.origin()),
        evidence(a).stream().map(x -> x.path("origin").asText()).toList(),
        "evidence against the liar only");
    assertEquals(List.of(), evidence(b));

    // A's witness will not cosign the liar's checkpoints any more.
    HttpResponse<String> cosign = FakeMirror.submitToWitness(a.url(), 0, List.of(), lie);
    assertEquals(403, cosign.statusCode(), cosign.body());
    assertTrue(cosign.body().contains("misbehaved"), cosign.body());
    // Yet it still cosigns B's, when B asks: B's checkpoint carries A's cosignature.
    a.await(
        () -> b.get("/api/v1/log/checkpoint").body().contains("— " + a.origin() + " "),
        WAIT,
        "B's checkpoint to carry A's cosignature");
  }

  // ---- the witness, facing the fake as a log ----

  @Test
  void witnessAnswersTheFakesCheckpointsAsTlogWitnessSays(@TempDir Path dir) {
    List<String> log = records("w", 3);
    FakeMirror fake = fake("mesh.alt/mirror/log");
    String c2 = fake.serve(log.subList(0, 2));
    MirrorProcess w = mirror(dir.resolve("w"), "mesh.alt/mirror/witness", fake.peerItem()).start();

    // An origin it does not know: 404.
    FakeMirror stranger = fake("mesh.alt/mirror/stranger");
    assertStatus(404, FakeMirror.submitToWitness(w.url(), 0, List.of(), stranger.serve(log)));
    // The known origin, but not signed by its key: 403.
    FakeMirror impostor = fake(fake.origin());
    assertStatus(403, FakeMirror.submitToWitness(w.url(), 0, List.of(), impostor.serve(log)));
    assertStatus(
        403, FakeMirror.submitToWitness(w.url(), 0, List.of(), FakeMirror.breakSignature(c2)));

    // The first checkpoint, from size 0 with an empty proof: cosigned.
    HttpResponse<String> first = FakeMirror.submitToWitness(w.url(), 0, List.of(), c2);
    assertStatus(200, first);
    assertCosigned(w, c2, first.body());

    String c3 = fake.serve(log);
    // An old size other than the one it cosigned: 409 with that size.
    HttpResponse<String> stale = FakeMirror.submitToWitness(w.url(), 0, List.of(), c3);
    assertStatus(409, stale);
    assertTrue(
        stale.headers().firstValue("Content-Type").orElse("").startsWith("text/x.tlog.size"),
        stale.headers().map().toString());
    assertEquals("2", stale.body().strip());
    // An old size past the checkpoint's: 400.
    assertStatus(400, FakeMirror.submitToWitness(w.url(), 4, List.of(), c3));
    // A consistency proof that does not verify: 422.
    List<byte[]> proof = fake.consistency(2, 3);
    List<byte[]> bad = new ArrayList<>(proof);
    bad.set(0, randomHash());
    assertStatus(422, FakeMirror.submitToWitness(w.url(), 2, bad, c3));
    assertStatus(422, FakeMirror.submitToWitness(w.url(), 2, List.of(), c3));
    // The right proof: cosigned.
    HttpResponse<String> second = FakeMirror.submitToWitness(w.url(), 2, proof, c3);
    assertStatus(200, second);
    assertCosigned(w, c3, second.body());
    assertFalse(
        Note.parse(c2 + second.body()).isSignedBy(cosignatures(w)),
        "a cosignature is for one checkpoint");

    // The fake, asked as a witness, answers with cosignatures that do not verify: the mirror
    // keeps none of them. (It takes the fake's three entries, so its checkpoint grows to 3.) Once
    // it asked twice for one checkpoint, it has handled the first answer.
    w.await(
        () -> {
          String served = w.get("/api/v1/log/checkpoint").body();
          assertFalse(
              served.contains("— " + fake.origin() + " "), "a forged cosignature:\n" + served);
          return IndependentCheck.checkpoint(served, w.verifierKey()).size() == 3
              && fake.timesAskedToCosign(withoutCosignatures(served, w)) >= 2;
        },
        WAIT,
        "the mirror to ask the fake twice to cosign its checkpoint of size 3");
    assertFalse(
        w.get("/api/v1/log/checkpoint").body().contains("— " + fake.origin() + " "),
        "a forged cosignature is served");
    assertEquals(0, peer(w, fake.origin()).path("cosignedSize").asLong());

    // A second, different checkpoint of the cosigned size: refused, evidence, and then nothing
    // more of this log is cosigned.
    String forked = fake.sign(3, randomHash());
    HttpResponse<String> fork = FakeMirror.submitToWitness(w.url(), 3, List.of(), forked);
    assertStatus(409, fork);
    JsonNode e = awaitEvidence(w, fake.origin(), "split-view");
    assertEquals(c3, e.path("first").asText());
    assertEquals(forked, e.path("second").asText());
    assertStatus(403, FakeMirror.submitToWitness(w.url(), 3, List.of(), c3));
  }

  // ---- helpers ----

  private MirrorProcess mirror(Path dir, String origin, String... peers) {
    MirrorProcess m = MirrorProcess.create(dir, origin);
    configure(m, peers);
    return m;
  }

  /** Fast syncs and checkpoints, short peer timeouts, and these peers. */
  private void configure(MirrorProcess m, String... peers) {
    running.add(m);
    m.set("canopy.mirror.sync-interval", "1s")
        .set("canopy.mirror.checkpoint-interval", "1s")
        .set("canopy.mirror.peer-timeout", "5s")
        .set("canopy.mirror.peers", String.join(",", peers));
  }

  /**
   * Starts mirrors at once, each on its own thread (the common pool may have one on this machine):
   * much of a start is waiting for the JVM and PostgreSQL.
   */
  private static void startTogether(MirrorProcess... mirrors) {
    List<CompletableFuture<MirrorProcess>> starts =
        Arrays.stream(mirrors)
            .map(m -> CompletableFuture.supplyAsync(m::start, r -> new Thread(r).start()))
            .toList();
    starts.forEach(CompletableFuture::join);
  }

  private static String item(MirrorProcess m) {
    return m.url() + " " + m.verifierKey();
  }

  private FakeMirror fake(String origin) {
    FakeMirror f = FakeMirror.start(origin);
    running.add(f);
    return f;
  }

  /** A valid record of {@code name} by a fresh key. */
  private static String record(String name) {
    return TestRecords.note(SigningKey.generate(RANDOM), name);
  }

  /** Valid records {@code <prefix>-0.mesh.alt}, {@code <prefix>-1.mesh.alt}, ... */
  private static List<String> records(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(record(prefix + "-" + i + ".mesh.alt"));
    }
    return out;
  }

  /** A record whose key line is one key and whose signature, under its address, is another's. */
  private static String signedByAnotherKey(String name) {
    SigningKey owner = SigningKey.generate(RANDOM);
    SigningKey forger = SigningKey.generate(RANDOM);
    NameRecord r = SignedRecord.parse(TestRecords.note(owner, name)).record();
    return Note.unsigned(r.body()).sign(NoteKeys.signer(r.address().toString(), forger)).format();
  }

  private static byte[] randomHash() {
    byte[] h = new byte[32];
    RANDOM.nextBytes(h);
    return h;
  }

  private static List<String> sorted(List<String> l) {
    return l.stream().sorted().collect(Collectors.toList());
  }

  private static List<JsonNode> evidence(MirrorProcess m) {
    List<JsonNode> out = new ArrayList<>();
    m.getJson("/api/v1/mirror").path("evidence").forEach(out::add);
    return out;
  }

  private static JsonNode peer(MirrorProcess m, String origin) {
    for (JsonNode p : m.getJson("/api/v1/mirror").path("peers")) {
      if (p.path("origin").asText().equals(origin)) {
        return p;
      }
    }
    throw new AssertionError(m.origin() + " has no peer " + origin);
  }

  /** Waits for evidence of {@code kind} against {@code origin}; returns it. */
  private static JsonNode awaitEvidence(MirrorProcess m, String origin, String kind) {
    m.await(
        () ->
            evidence(m).stream()
                .anyMatch(
                    e ->
                        e.path("origin").asText().equals(origin)
                            && e.path("kind").asText().equals(kind)),
        WAIT,
        kind + " evidence against " + origin);
    List<JsonNode> found =
        evidence(m).stream().filter(e -> e.path("origin").asText().equals(origin)).toList();
    assertEquals(1, found.size(), "one piece of evidence against " + origin + ": " + found);
    assertEquals(kind, found.get(0).path("kind").asText());
    return found.get(0);
  }

  /** Waits until {@code m} verified and took {@code size} entries of the fake's log. */
  private static void awaitSynced(MirrorProcess m, FakeMirror fake, long size) {
    m.await(
        () -> {
          JsonNode p = peer(m, fake.origin());
          return p.path("size").asLong() == size && p.path("synced").asLong() == size;
        },
        WAIT,
        "a sync of " + size + " entries of " + fake.origin());
  }

  /** Waits until {@code m} completed {@code rounds} more syncs with {@code origin}. */
  private static void awaitSyncRounds(MirrorProcess m, String origin, int rounds) {
    for (int i = 0; i < rounds; i++) {
      Instant last = lastSync(m, origin);
      m.await(
          () -> {
            Instant now = lastSync(m, origin);
            return now != null && (last == null || now.isAfter(last));
          },
          WAIT,
          "another sync with " + origin);
    }
  }

  private static Instant lastSync(MirrorProcess m, String origin) {
    JsonNode t = peer(m, origin).path("lastSync");
    return t.isTextual() ? Instant.parse(t.asText()) : null;
  }

  /** Waits until {@code m} serves {@code name} as {@code note}, and checks its proof. */
  private static void awaitName(MirrorProcess m, String name, String note) {
    m.await(() -> m.status("/api/v1/names/" + name) == 200, WAIT, name + " to be served");
    JsonNode answer = m.getJson("/api/v1/names/" + name);
    assertEquals(note, IndependentCheck.nameAnswer(answer, m.verifierKey()), answer.toString());
  }

  /** Every entry of {@code m}'s log, page by page. */
  private static List<String> logEntries(MirrorProcess m) {
    long size = m.getJson("/api/v1/mirror").path("size").asLong();
    List<String> out = new ArrayList<>();
    while (out.size() < size) {
      JsonNode page = m.getJson("/api/v1/log/entries?start=" + out.size() + "&end=" + size);
      assertTrue(page.isArray() && page.size() > 0, "a page of entries: " + page);
      page.forEach(e -> out.add(e.asText()));
    }
    return out;
  }

  /** A served checkpoint with only its log's own signature, as the log asks witnesses. */
  private static String withoutCosignatures(String served, MirrorProcess log) {
    Note n = Note.parse(served);
    Note own = Note.unsigned(n.text());
    for (var sig : n.signatures()) {
      if (sig.isBy(log.origin(), log.verifierKey().keyId())) {
        own = own.withSignature(sig);
      }
    }
    return own.format();
  }

  private static NoteVerifier cosignatures(MirrorProcess w) {
    return Cosignatures.verifier(w.origin(), w.verifierKey().key());
  }

  /** Checks that {@code lines} hold a cosignature of {@code checkpoint} by {@code w}'s key. */
  private static void assertCosigned(MirrorProcess w, String checkpoint, String lines) {
    assertTrue(lines.startsWith("— " + w.origin() + " "), lines);
    assertTrue(lines.endsWith("\n"), lines);
    Note cosigned = Note.parse(checkpoint + lines);
    assertTrue(
        cosigned.isSignedBy(cosignatures(w)), "a cosignature by " + w.origin() + ": " + lines);
    assertFalse(
        cosigned.isSignedBy(NoteKeys.verifier(w.verifierKey())),
        "a cosignature, not a checkpoint signature");
  }

  private static void assertStatus(int expected, HttpResponse<String> r) {
    assertEquals(expected, r.statusCode(), r.body());
  }
}
