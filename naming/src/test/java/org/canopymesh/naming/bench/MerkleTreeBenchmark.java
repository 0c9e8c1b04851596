package org.canopymesh.naming.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.canopymesh.naming.log.MerkleTree;
import org.canopymesh.naming.log.Proofs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Targets for the in-memory {@link MerkleTree} at 1,000,000 entries: appending them all to a new
 * tree and computing its root takes under 3 s ({@link #appendMillionAndRoot}, single shot), and an
 * inclusion or consistency proof takes under 50 µs ({@link #inclusionProof}, {@link
 * #consistencyProof}). {@link #verifyInclusion} is for information.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class MerkleTreeBenchmark {
  static final int ENTRIES = 1_000_000;
  static final int ENTRY_BYTES = 100;

  /** Proof sizes vary in the low bits below 1,000,000, so many proof shapes are measured. */
  static final int SIZE_SPREAD = 4096;

  /** Precomputed cases per proof benchmark; a power of two, so the cursor wraps with a mask. */
  static final int CASES = 4096;

  /** The entries to append: about 120 MB of distinct arrays, built once per trial. */
  @State(Scope.Benchmark)
  public static class Entries {
    byte[][] entries;

    @Setup(Level.Trial)
    public void generate() {
      SplittableRandom random = new SplittableRandom(1);
      entries = new byte[ENTRIES][];
      for (int i = 0; i < ENTRIES; i++) {
        byte[] e = new byte[ENTRY_BYTES];
        random.nextBytes(e);
        // The index up front keeps the entries distinct whatever the random bytes are.
        e[0] = (byte) (i >>> 24);
        e[1] = (byte) (i >>> 16);
        e[2] = (byte) (i >>> 8);
        e[3] = (byte) i;
        entries[i] = e;
      }
    }
  }

  /** A tree of 1,000,000 entries and random proof requests against it. */
  @State(Scope.Benchmark)
  public static class Tree {
    MerkleTree tree;
    final long[] inclusionIndex = new long[CASES];
    final long[] inclusionSize = new long[CASES];
    final long[] consistencyFrom = new long[CASES];
    final long[] consistencyTo = new long[CASES];

    // Ready-made inclusion proofs for the verification benchmark.
    final byte[][] leafHash = new byte[CASES][];
    final byte[][] root = new byte[CASES][];
    final List<List<byte[]>> proof = new ArrayList<>(CASES);

    @Setup(Level.Trial)
    public void build() {
      tree = new MerkleTree();
      byte[] entry = new byte[8];
      for (int i = 0; i < ENTRIES; i++) {
        // Only the leaf hashes matter to proofs; small distinct entries build the tree quickly.
        entry[0] = (byte) (i >>> 24);
        entry[1] = (byte) (i >>> 16);
        entry[2] = (byte) (i >>> 8);
        entry[3] = (byte) i;
        tree.append(entry);
      }
      SplittableRandom random = new SplittableRandom(2);
      for (int c = 0; c < CASES; c++) {
        long size = ENTRIES - random.nextInt(SIZE_SPREAD);
        inclusionSize[c] = size;
        inclusionIndex[c] = random.nextLong(size);
        long to = ENTRIES - random.nextInt(SIZE_SPREAD);
        consistencyTo[c] = to;
        // From 1, not 0: the proof from the empty tree is empty and costs nothing.
        consistencyFrom[c] = 1 + random.nextLong(to - 1);

        leafHash[c] = tree.leafHash(inclusionIndex[c]);
        root[c] = tree.root(size);
        proof.add(tree.inclusionProof(inclusionIndex[c], size));
      }
    }
  }

  /** Which case a thread is at; separate from the shared tree so reads stay read-only. */
  @State(Scope.Thread)
  public static class Cursor {
    int position;

    int next() {
      return position++ & (CASES - 1);
    }
  }

  /**
   * A fresh tree per shot: hashing and storing 1,000,000 leaves and their inner nodes, GC included.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 5)
  @Measurement(iterations = 10)
  public byte[] appendMillionAndRoot(Entries e) {
    MerkleTree tree = new MerkleTree();
    for (byte[] entry : e.entries) {
      tree.append(entry);
    }
    return tree.root();
  }

  @Benchmark
  public List<byte[]> inclusionProof(Tree t, Cursor c) {
    int i = c.next();
    return t.tree.inclusionProof(t.inclusionIndex[i], t.inclusionSize[i]);
  }

  @Benchmark
  public List<byte[]> consistencyProof(Tree t, Cursor c) {
    int i = c.next();
    return t.tree.consistencyProof(t.consistencyFrom[i], t.consistencyTo[i]);
  }

  /** For information: what a client spends checking one proof from the log. */
  @Benchmark
  public void verifyInclusion(Tree t, Cursor c) {
    int i = c.next();
    Proofs.verifyInclusion(
        t.leafHash[i], t.inclusionIndex[i], t.inclusionSize[i], t.proof.get(i), t.root[i]);
  }
}
