package org.canopymesh.naming.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import org.canopymesh.naming.log.LogHashes;
import org.canopymesh.naming.log.MerkleTree;

/**
 * Target: the in-memory {@link MerkleTree} holds 1,000,000 leaf hashes (and the inner nodes it
 * keeps) in under 100 MB of heap. Not a JMH benchmark: it measures used heap after full GCs before
 * and after building the tree, and prints the difference next to {@link MerkleTree#retainedBytes}.
 *
 * <p>Run: {@code java -cp naming/target/test-classes:naming/target/classes:<deps>
 * org.canopymesh.naming.bench.TreeMemory [leaves]}.
 */
public final class TreeMemory {
  static final int DEFAULT_LEAVES = 1_000_000;
  static final double MB = 1_000_000.0;

  private TreeMemory() {}

  public static void main(String[] args) throws InterruptedException {
    int leaves = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_LEAVES;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    long before = settledHeap(memory);
    MerkleTree tree = new MerkleTree();
    byte[] entry = new byte[8];
    for (int i = 0; i < leaves; i++) {
      // Only the hash goes in; the entry buffer is reused so nothing but the tree stays live.
      entry[0] = (byte) (i >>> 24);
      entry[1] = (byte) (i >>> 16);
      entry[2] = (byte) (i >>> 8);
      entry[3] = (byte) i;
      tree.appendLeafHash(LogHashes.leaf(entry));
    }
    long after = settledHeap(memory);
    long delta = after - before;

    System.out.printf("tree memory: %d leaves%n", tree.size());
    System.out.printf("heap delta: %.1f MB (%d bytes)%n", delta / MB, delta);
    System.out.printf(
        "retained hash bytes: %.1f MB (%d bytes)%n",
        tree.retainedBytes() / MB, tree.retainedBytes());
    // The tree must still be live when `after` is measured, or the GC could have freed it.
    Reference.reachabilityFence(tree);
  }

  /** Used heap after full GCs, repeated until it stops falling (finalizers, soft references). */
  static long settledHeap(MemoryMXBean memory) throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      memory.gc();
      Thread.sleep(100);
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used) {
        return Math.min(now, used);
      }
      used = now;
    }
    return used;
  }
}
