package org.canopymesh.crawler.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One crawl run, as stored: its status, counts and timings. */
@Entity
@Table(name = "crawl")
public class CrawlRun extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false)
  public String status;

  @Column(name = "started_at", nullable = false)
  public Instant startedAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  @Column(name = "admin_endpoint", nullable = false)
  public String adminEndpoint;

  /** The crawler process that ran it (host:pid): with standbys, which one was the writer. */
  public String instance;

  @Column(name = "local_key")
  public String localKey;

  @Column(name = "admin_version")
  public String adminVersion;

  public int nodes;
  public int links;
  public int records;

  @Column(name = "invalid_records")
  public int invalidRecords;

  public int hidden;
  public int responded;
  public int calls;
  public int errors;
  public String failure;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "error_sample")
  public List<ErrorSample> errorSample;

  /** A failed call kept with the run. */
  public record ErrorSample(String call, String key, String kind, String message) {}

  /** Finished runs, newest first. */
  public static List<CrawlRun> recent(int limit) {
    return find("order by id desc").page(0, limit).list();
  }

  /** The newest run that finished with data (complete or partial). */
  public static CrawlRun latestFinished() {
    return find("status in ('complete', 'partial') order by id desc").firstResult();
  }
}
