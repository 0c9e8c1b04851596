package org.canopymesh.crawler.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.canopymesh.crawler.log.LogIdentity;
import org.canopymesh.crawler.testing.IndependentCheck;
import org.canopymesh.crawler.testing.PostgresResource;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.log.MerkleTree;
import org.canopymesh.naming.log.Proofs;
import org.canopymesh.naming.note.VerifierKey;
import org.canopymesh.naming.record.NameRecord;
import org.junit.jupiter.api.Test;

/**
 * The mirror's HTTP API on one real instance (embedded PostgreSQL): every status a submission can
 * get, names with proofs checked independently, and the log's pages and proofs checked against a
 * tree rebuilt from its entries.
 */
@QuarkusTest
@TestProfile(NamingApiIT.Unlimited.class)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = true)
class NamingApiIT {
  static final ObjectMapper JSON = new ObjectMapper();
  final SecureRandom random = new SecureRandom();

  @Inject LogIdentity identity;

  /** No rate limit in the way: that has its own test. */
  public static class Unlimited implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("canopy.mirror.submit-rate", "100000", "canopy.mirror.submit-burst", "100000");
    }
  }

  static String record(SigningKey key, String name, long seq, Instant issued) {
    return NameRecord.builder()
        .name(name)
        .key(key.verifyingKey())
        .seq(seq)
        .validity(issued, Duration.ofDays(30))
        .build()
        .sign(key)
        .format();
  }

  static Response submit(String body) {
    return given().body(body.getBytes(StandardCharsets.UTF_8)).post("/api/v1/records");
  }

  private VerifierKey key() {
    return identity.verifierKey();
  }

  private static String unique(String label) {
    return label + "-" + Long.toHexString(System.nanoTime()) + ".mesh.alt";
  }

  @Test
  void appendsANewRecordOnceAndAnswersARepeatAsPresent() {
    String r = record(SigningKey.generate(random), unique("wiki"), 1, Instant.now());
    Response first = submit(r);
    first.then().statusCode(201).body("status", equalTo("appended"));
    submit(r)
        .then()
        .statusCode(200)
        .body("status", equalTo("present"))
        .body("index", equalTo(first.jsonPath().getInt("index")));
  }

  @Test
  void refusesANameOwnedByAnotherKeyWithTheOwnersRecord() {
    String name = unique("taken");
    String owner = record(SigningKey.generate(random), name, 1, Instant.now());
    submit(owner).then().statusCode(201);
    submit(record(SigningKey.generate(random), name, 1, Instant.now()))
        .then()
        .statusCode(409)
        .body("reason", equalTo("taken"))
        .body("owner", equalTo(owner));
  }

  @Test
  void renewsWithAHigherSeqAndRefusesAnOlderOne() {
    SigningKey k = SigningKey.generate(random);
    String name = unique("renew");
    Instant t = Instant.now().minusSeconds(60);
    submit(record(k, name, 5, t)).then().statusCode(201);
    String renewal = record(k, name, 6, t.plusSeconds(30));
    submit(renewal).then().statusCode(201);
    submit(record(k, name, 4, t.plusSeconds(40)))
        .then()
        .statusCode(409)
        .body("reason", equalTo("stale"));
    // Names are served as of the latest checkpoint: the renewal shows once one covers it.
    JsonNode answer = awaitName(name, renewal);
    assertEquals(renewal, IndependentCheck.nameAnswer(answer, key()));
  }

  @Test
  void refusesAKeysSeventeenthName() {
    SigningKey k = SigningKey.generate(random);
    String base = unique("many");
    for (int i = 0; i < 16; i++) {
      submit(record(k, "n" + i + "." + base, 1, Instant.now())).then().statusCode(201);
    }
    submit(record(k, "n16." + base, 1, Instant.now()))
        .then()
        .statusCode(409)
        .body("reason", equalTo("key-limit"));
  }

  @Test
  void rejectsMalformedForgedOversizedAndOutOfZoneRecords() throws Exception {
    SigningKey k = SigningKey.generate(random);
    String good = record(k, unique("bad"), 1, Instant.now());
    submit("not a record").then().statusCode(400).body("error", containsString("malformed"));
    // One character of the signature changed: it no longer verifies.
    int at = good.lastIndexOf(' ') + 5;
    char c = good.charAt(at);
    String forged = good.substring(0, at) + (c == 'A' ? 'B' : 'A') + good.substring(at + 1);
    submit(forged).then().statusCode(403).body("reason", equalTo("bad-signature"));
    submit(good + "x".repeat(5000)).then().statusCode(413);
    submit(record(k, "wiki.example.org", 1, Instant.now()))
        .then()
        .statusCode(400)
        .body("reason", equalTo("name-outside-zone"));
    submit(record(k, unique("old"), 1, Instant.now().minus(Duration.ofDays(40))))
        .then()
        .statusCode(400)
        .body("reason", equalTo("expired"));
    submit(record(k, unique("future"), 1, Instant.now().plus(Duration.ofHours(2))))
        .then()
        .statusCode(400)
        .body("reason", equalTo("issued-in-the-future"));
    // Past the HTTP body limit (64 KiB) the server answers before reading it all.
    assertEquals(413, announceBody("/api/v1/records", 100_000));
  }

  @Test
  void servesANameWithAProofThatVerifiesIndependently() {
    String name = unique("proof");
    String r = record(SigningKey.generate(random), name, 1, Instant.now());
    submit(r).then().statusCode(201);
    JsonNode answer = awaitName(name);
    assertEquals("active", answer.path("status").asText());
    assertEquals(name, answer.path("name").asText());
    assertEquals(r, IndependentCheck.nameAnswer(answer, key()));
    given().get("/api/v1/names/" + name.toUpperCase()).then().statusCode(200);
  }

  @Test
  void answersNoSuchNameAndMalformedNames() {
    given()
        .get("/api/v1/names/" + unique("nobody"))
        .then()
        .statusCode(404)
        .body("error", equalTo("no such name"));
    given().get("/api/v1/names/a..b").then().statusCode(400);
  }

  @Test
  void everyProofMatchesATreeRebuiltFromTheEntries() throws Exception {
    for (int i = 0; i < 12; i++) {
      submit(record(SigningKey.generate(random), unique("tree" + i), 1, Instant.now()))
          .then()
          .statusCode(201);
    }
    IndependentCheck.Verified c = awaitCheckpointCoveringLog();
    long n = c.size();
    MerkleTree tree = new MerkleTree();
    for (long start = 0; start < n; start += 1000) {
      JsonNode page = JSON.readTree(given().get(entries(start, n)).asString());
      page.forEach(e -> tree.append(e.asText().getBytes(StandardCharsets.UTF_8)));
    }
    assertEquals(n, tree.size());
    assertArrayEquals(tree.root(), c.root(), "the checkpoint's root is the entries' root");
    for (long size = 1; size <= n; size += Math.max(1, n / 9)) {
      for (long i = 0; i < size; i += Math.max(1, size / 7)) {
        List<byte[]> proof = proof("/api/v1/log/proof/inclusion?index=" + i + "&size=" + size);
        Proofs.verifyInclusion(tree.leafHash(i), i, size, proof, tree.root(size));
      }
      List<byte[]> consistency = proof("/api/v1/log/proof/consistency?from=" + size + "&to=" + n);
      Proofs.verifyConsistency(size, n, consistency, tree.root(size), tree.root(n));
    }
  }

  @Test
  void rejectsProofAndPageRequestsOutsideTheLog() {
    submit(record(SigningKey.generate(random), unique("bounds"), 1, Instant.now()));
    long n = awaitCheckpointCoveringLog().size();
    given().get("/api/v1/log/entries?start=0").then().statusCode(400);
    given().get(entries(n, n + 5)).then().statusCode(400);
    given().get(entries(-1, 3)).then().statusCode(400);
    given().get("/api/v1/log/entries?start=x&end=3").then().statusCode(404);
    given().get("/api/v1/log/proof/inclusion?index=0&size=" + (n + 1)).then().statusCode(400);
    given().get("/api/v1/log/proof/inclusion?index=" + n + "&size=" + n).then().statusCode(400);
    given().get("/api/v1/log/proof/consistency?from=2&to=1").then().statusCode(400);
    assertEquals(1, tree(given().get(entries(0, 1)).asString()).size());
  }

  @Test
  void describesItselfAndRefusesWitnessRequestsItCannotServe() {
    given()
        .get("/api/v1/mirror")
        .then()
        .statusCode(200)
        .body("origin", equalTo(identity.origin()))
        .body("verifierKey", equalTo(key().toString()));
    given().body("nonsense").post("/api/v1/witness/add-checkpoint").then().statusCode(400);
    String unknown = given().get("/api/v1/log/checkpoint").asString();
    // Its own checkpoint: not the checkpoint of a log it witnesses.
    given()
        .body(("old 0\n\n" + unknown).getBytes(StandardCharsets.UTF_8))
        .post("/api/v1/witness/add-checkpoint")
        .then()
        .statusCode(404);
  }

  /**
   * Announces a body of {@code length} bytes and reads the status line: past the limit the server
   * answers without reading the body.
   */
  private static int announceBody(String path, int length) throws Exception {
    try (var socket =
        new java.net.Socket(
            java.net.URI.create(io.restassured.RestAssured.baseURI).getHost(),
            io.restassured.RestAssured.port)) {
      socket.setSoTimeout(10_000);
      String head =
          "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + length + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String status =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  private static String entries(long start, long end) {
    return "/api/v1/log/entries?start=" + start + "&end=" + end;
  }

  private static List<byte[]> proof(String path) throws Exception {
    return IndependentCheck.hashes(JSON.readTree(given().get(path).asString()).path("proof"));
  }

  private IndependentCheck.Verified awaitCheckpointCoveringLog() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode m = tree(given().get("/api/v1/mirror").asString());
      if (m.path("size").asLong() == m.path("checkpointSize").asLong()) {
        IndependentCheck.Verified c =
            IndependentCheck.checkpoint(given().get("/api/v1/log/checkpoint").asString(), key());
        if (c.size() == m.path("size").asLong()) {
          return c;
        }
      }
      pause();
    }
    throw new AssertionError("no checkpoint covered the log within 10 s");
  }

  private static JsonNode awaitName(String name) {
    return awaitName(name, null);
  }

  /** Waits until {@code name} is served, with {@code record} if that is not null. */
  private static JsonNode awaitName(String name, String record) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      Response r = given().get("/api/v1/names/" + name);
      if (r.statusCode() == 200
          && (record == null || record.equals(r.jsonPath().getString("record")))) {
        return tree(r.asString());
      }
      pause();
    }
    throw new AssertionError(name + " was not served within 10 s");
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50); // polling interval of the wait loops
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }
}
