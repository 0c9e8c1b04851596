package org.canopymesh.naming.log;

/**
 * Where a tree keeps the hashes of its complete subtrees: in memory ({@link MerkleTree}) or in a
 * database. {@link Proofs} builds roots and proofs from these in O(log n) lookups, whatever the
 * storage.
 */
public interface TreeHashes {
  /** Leaves in the tree. */
  long size();

  /**
   * The hash of the complete subtree of {@code 2^level} leaves that starts at leaf {@code index <<
   * level}. Only asked for subtrees that lie inside {@link #size()}.
   */
  byte[] subtree(int level, long index);
}
