package org.canopymesh.naming.log;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only RFC 9162 Merkle tree in memory. It keeps the hash of every complete subtree (about
 * two hashes per leaf), so the root of any earlier size and every proof take O(log n) hashes.
 *
 * <p>Not thread-safe: one writer, and readers that synchronise with it.
 */
public final class MerkleTree implements TreeHashes {
  private final List<HashColumn> levels = new ArrayList<>();
  private final MessageDigest sha = LogHashes.sha256();
  private final byte[] scratch = new byte[LogHashes.SIZE];
  private long size;

  /** Appends an entry; returns its index. */
  public long append(byte[] entry) {
    sha.reset();
    sha.update((byte) 0);
    sha.update(entry);
    digestInto(scratch);
    return appendLeafHash(scratch);
  }

  /** Appends a leaf by its hash, {@link LogHashes#leaf}; returns its index. */
  public long appendLeafHash(byte[] leafHash) {
    if (leafHash.length != LogHashes.SIZE) {
      throw new IllegalArgumentException("a leaf hash is 32 bytes, not " + leafHash.length);
    }
    long index = size;
    level(0).append(leafHash, 0);
    // Each trailing one bit of the index closes a complete subtree one level up.
    long n = index;
    for (int level = 0; (n & 1) == 1; level++, n >>>= 1) {
      HashColumn column = levels.get(level);
      sha.reset();
      sha.update((byte) 1);
      column.update(sha, n - 1);
      column.update(sha, n);
      digestInto(scratch);
      level(level + 1).append(scratch, 0);
    }
    size++;
    return index;
  }

  private void digestInto(byte[] out) {
    try {
      sha.digest(out, 0, out.length);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 output does not fit 32 bytes", e);
    }
  }

  private HashColumn level(int level) {
    while (levels.size() <= level) {
      levels.add(new HashColumn());
    }
    return levels.get(level);
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public byte[] subtree(int level, long index) {
    if (level >= levels.size()) {
      throw new IndexOutOfBoundsException("no complete subtree at level " + level);
    }
    return levels.get(level).get(index);
  }

  /** The hash of leaf {@code index}. */
  public byte[] leafHash(long index) {
    return subtree(0, index);
  }

  /** The root of the whole tree. */
  public byte[] root() {
    return Proofs.root(this, size);
  }

  /** The root the tree had when it held {@code size} leaves. */
  public byte[] root(long size) {
    return Proofs.root(this, size);
  }

  public List<byte[]> inclusionProof(long index, long treeSize) {
    return Proofs.inclusion(this, index, treeSize);
  }

  public List<byte[]> consistencyProof(long from, long to) {
    return Proofs.consistency(this, from, to);
  }

  /** Bytes this tree holds in hashes (what dominates its heap use). */
  public long retainedBytes() {
    return levels.stream().mapToLong(HashColumn::retainedBytes).sum();
  }
}
