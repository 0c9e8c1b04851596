package org.canopymesh.naming.log;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of an RFC 9162 tree: the hashes of its maximal complete subtrees, left to right
 * (one per set bit of the size). That is all it takes to append leaves and compute the root, so a
 * verifier can follow a log of any size in O(log n) memory and check that new entries extend the
 * tree it verified before.
 *
 * <p>Not thread-safe.
 */
public final class TreeFrontier {
  /** Receives the complete subtrees an append closes, from the leaf up. */
  @FunctionalInterface
  public interface Listener {
    void subtree(int level, long index, byte[] hash);
  }

  private final List<byte[]> hashes;
  private long size;

  private TreeFrontier(long size, List<byte[]> hashes) {
    this.size = size;
    this.hashes = hashes;
  }

  /** The frontier of the empty tree. */
  public static TreeFrontier empty() {
    return new TreeFrontier(0, new ArrayList<>());
  }

  /**
   * The frontier of a tree of {@code size} leaves from its subtree hashes, left to right.
   *
   * @throws IllegalArgumentException unless there is one 32-byte hash per set bit of {@code size}
   */
  public static TreeFrontier of(long size, List<byte[]> hashes) {
    if (size < 0 || hashes.size() != Long.bitCount(size)) {
      throw new IllegalArgumentException(
          "a tree of " + size + " leaves has " + Long.bitCount(size) + " frontier hashes");
    }
    List<byte[]> copy = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      if (h.length != LogHashes.SIZE) {
        throw new IllegalArgumentException("a frontier hash is 32 bytes, not " + h.length);
      }
      copy.add(h.clone());
    }
    return new TreeFrontier(size, copy);
  }

  /** The frontier of the first {@code size} leaves of {@code tree}. */
  public static TreeFrontier of(TreeHashes tree, long size) {
    List<byte[]> hashes = new ArrayList<>();
    for (int level = 63; level >= 0; level--) {
      if ((size & (1L << level)) != 0) {
        long start = size & ~((1L << (level + 1)) - 1);
        hashes.add(tree.subtree(level, start >>> level));
      }
    }
    return new TreeFrontier(size, hashes);
  }

  /** Appends a leaf by its hash. */
  public void append(byte[] leafHash) {
    append(leafHash, (level, index, hash) -> {});
  }

  /** Appends a leaf by its hash and reports the leaf and every subtree it completes. */
  public void append(byte[] leafHash, Listener listener) {
    if (leafHash.length != LogHashes.SIZE) {
      throw new IllegalArgumentException("a leaf hash is 32 bytes, not " + leafHash.length);
    }
    long index = size;
    byte[] h = leafHash.clone();
    listener.subtree(0, index, h);
    // Each trailing one bit of the index merges the last frontier subtree with the new one.
    long n = index;
    for (int level = 0; (n & 1) == 1; level++, n >>>= 1) {
      h = LogHashes.node(hashes.remove(hashes.size() - 1), h);
      listener.subtree(level + 1, n >>> 1, h);
    }
    hashes.add(h);
    size++;
  }

  public long size() {
    return size;
  }

  /** {@code MTH} of the leaves so far. */
  public byte[] root() {
    if (hashes.isEmpty()) {
      return LogHashes.emptyRoot();
    }
    byte[] h = hashes.get(hashes.size() - 1);
    for (int j = hashes.size() - 2; j >= 0; j--) {
      h = LogHashes.node(hashes.get(j), h);
    }
    return h;
  }

  /** The subtree hashes, left to right; copies. */
  public List<byte[]> hashes() {
    return hashes.stream().map(byte[]::clone).toList();
  }

  /** An independent copy. */
  public TreeFrontier copy() {
    return of(size, hashes);
  }
}
