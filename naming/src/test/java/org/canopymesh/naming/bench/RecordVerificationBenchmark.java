package org.canopymesh.naming.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.canopymesh.naming.Fixtures;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.Protocol;
import org.canopymesh.naming.record.RecordCheck;
import org.canopymesh.naming.record.RecordRules;
import org.canopymesh.naming.record.Service;
import org.canopymesh.naming.record.SignedRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Targets: a valid record verifies ({@link RecordRules#verify}: parse, Ed25519 signature, zone and
 * time rules) at 8,000 records/s or more on one core, and {@link RecordRules#verifyAll} spreads a
 * batch over all cores.
 *
 * <p>Both verify a pool of {@value #POOL} distinct records by distinct keys, so no key or note is
 * hot in a cache the real workload would not have.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RecordVerificationBenchmark {
  /** A power of two, so the cursor wraps with a mask. */
  static final int POOL = 1024;

  /** Fixed, so every record stays valid however long the run takes. */
  static final Instant NOW = Fixtures.NOW;

  private byte[][] encoded;
  private List<byte[]> batch;

  @Setup(Level.Trial)
  public void buildPool() {
    encoded = new byte[POOL][];
    for (int i = 0; i < POOL; i++) {
      SigningKey key = Fixtures.key("bench-" + i);
      SignedRecord r =
          NameRecord.builder()
              .name("bench-" + i + ".mesh.alt")
              .key(key.verifyingKey())
              .seq(1)
              .validity(NOW.minusSeconds(60), Duration.ofDays(30))
              .service(new Service("http", Protocol.TCP, 80))
              .text("benchmark record " + i)
              .build()
              .sign(key);
      encoded[i] = r.encoded();
    }
    batch = List.of(encoded);
    // A benchmark of records that fail early would measure the wrong thing.
    List<RecordCheck> checks = RecordRules.DEFAULT.verifyAll(batch, NOW);
    List<RecordCheck> invalid = new ArrayList<>();
    for (RecordCheck c : checks) {
      if (!(c instanceof RecordCheck.Valid)) {
        invalid.add(c);
      }
    }
    if (!invalid.isEmpty()) {
      throw new IllegalStateException("pool records are invalid: " + invalid);
    }
  }

  /** Where one thread is in the pool; per thread so the single-core figure has no sharing. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Benchmark
  @Threads(1)
  public SignedRecord verifyOne(Cursor cursor) {
    byte[] note = encoded[cursor.next++ & (POOL - 1)];
    return RecordRules.DEFAULT.verify(note, NOW);
  }

  /** One invocation verifies the whole pool, so ops/s is records/s. */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(POOL)
  public List<RecordCheck> verifyAllPool() {
    return RecordRules.DEFAULT.verifyAll(batch, NOW);
  }
}
