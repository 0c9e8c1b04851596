package org.canopymesh.crawler.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.canopymesh.crawler.crawl.CrawlResult;
import org.canopymesh.crawler.crawl.HarvestedRecord;
import org.canopymesh.crawler.crawl.Link;
import org.canopymesh.crawler.crawl.Location;
import org.canopymesh.crawler.crawl.NodeObservation;
import org.canopymesh.crawler.crawl.Outcome;
import org.canopymesh.crawler.crawl.Responded;
import org.canopymesh.crawler.db.EmbeddedPostgres;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.VerifyingKey;
import org.flywaydb.core.Flyway;

/**
 * Target: writing a 10,000-node crawl (nodes, ~15,000 links, NodeInfo, records, membership) takes
 * under 2 s. Runs the service's migrations and {@link CrawlWriter} against the embedded PostgreSQL,
 * in one transaction per crawl, as {@link TopologyStore#finish} does. The first write inserts
 * everything; the later ones are the steady state (upserts of known nodes and links).
 */
public final class StoreBenchmark {
  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path dir = Files.createTempDirectory("canopy-store-bench");
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, Duration.ofSeconds(60))) {
      Flyway.configure()
          .dataSource(pg.jdbcUrl(), EmbeddedPostgres.USER, "")
          .locations("classpath:db/migration")
          .load()
          .migrate();
      ObjectMapper json = new ObjectMapper();
      CrawlResult result = crawl(json, nodes);
      List<Long> millis = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgres.USER, "")) {
        c.setAutoCommit(false);
        for (int round = 0; round < 6; round++) {
          long id = begin(c, result.startedAt().plusSeconds(900L * round));
          long t0 = System.nanoTime();
          new CrawlWriter(c, json, id, result.finishedAt().plusSeconds(900L * round)).write(result);
          c.commit();
          millis.add((System.nanoTime() - t0) / 1_000_000);
        }
      }
      System.out.printf(
          "store: %d nodes, %d links, %d records per crawl%n",
          result.nodes().size(), result.links().size(), result.nodes().size());
      System.out.printf("store: write times (ms), first then steady: %s%n", millis);
      long steady =
          millis.subList(1, millis.size()).stream().mapToLong(Long::longValue).max().orElse(0);
      System.out.printf(
          "writing a %,d-node crawl: first %.2f s, later at most %.2f s (target < 2 s)%n",
          nodes, millis.get(0) / 1000.0, steady / 1000.0);
    }
  }

  private static long begin(Connection c, Instant at) throws Exception {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into crawl (status, started_at, admin_endpoint) values ('running', ?, 'bench')"
                + " returning id")) {
      s.setTimestamp(1, Timestamp.from(at));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A crawl of {@code n} nodes with NodeInfo, one record each, and about 1.5 links a node. */
  static CrawlResult crawl(ObjectMapper json, int n) {
    SplittableRandom random = new SplittableRandom(7);
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add(
          String.format(
              "%016x%016x%016x%016x",
              random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()));
    }
    List<NodeObservation> nodes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String k = keys.get(i);
      ObjectNode info = json.createObjectNode();
      info.put("name", "node-" + i).put("buildversion", "0.4.7");
      info.putObject("location").put("lat", 52.5).put("lon", 13.4);
      info.putObject("canopy").put("island", "island-" + (i / 20)).putArray("records").add("r" + i);
      String note = "canopy-record/v1\nname node" + i + ".mesh.alt\n... " + k + "\n";
      nodes.add(
          new NodeObservation(
              k,
              OverlayAddress.forKey(VerifyingKey.parseHex(k)).toString(),
              i == 0 ? Responded.LOCAL : Responded.YES,
              info,
              "node-" + i,
              new Location(52.5, 13.4, null),
              "island-" + (i / 20),
              "0.4.7",
              false,
              List.of(new HarvestedRecord(note, k, "node" + i + ".mesh.alt", true, null, null))));
    }
    Set<Link> links = new HashSet<>();
    for (int i = 1; i < n; i++) {
      links.add(Link.of(keys.get(i), keys.get(random.nextInt(i))));
      if (i % 2 == 0) {
        links.add(Link.of(keys.get(i), keys.get(random.nextInt(i))));
      }
    }
    Instant t = Instant.parse("2026-11-21T12:00:00Z");
    return new CrawlResult(
        t,
        t.plusSeconds(10),
        Outcome.COMPLETE,
        keys.get(0),
        "0.4.7",
        nodes,
        links,
        List.of(),
        0,
        2 * n,
        null);
  }
}
