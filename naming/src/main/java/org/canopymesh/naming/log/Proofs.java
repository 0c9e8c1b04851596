package org.canopymesh.naming.log;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * RFC 9162 roots, inclusion proofs (§2.1.3) and consistency proofs (§2.1.4): built from any {@link
 * TreeHashes}, verified from hashes alone.
 */
public final class Proofs {
  private Proofs() {}

  /** {@code MTH(D[0:size])}. */
  public static byte[] root(TreeHashes tree, long size) {
    checkSize(tree, size);
    return size == 0 ? LogHashes.emptyRoot() : rangeHash(tree, 0, size);
  }

  /** {@code PATH(index, D[0:size])}, the siblings from the leaf up. */
  public static List<byte[]> inclusion(TreeHashes tree, long index, long size) {
    checkSize(tree, size);
    if (index < 0 || index >= size) {
      throw new ProofException("leaf " + index + " is not in a tree of size " + size);
    }
    List<byte[]> path = new ArrayList<>(64);
    long lo = 0;
    long hi = size;
    while (hi - lo > 1) {
      long k = largestPowerOfTwoBelow(hi - lo);
      if (index - lo < k) {
        path.add(rangeHash(tree, lo + k, hi));
        hi = lo + k;
      } else {
        path.add(rangeHash(tree, lo, lo + k));
        lo += k;
      }
    }
    Collections.reverse(path);
    return path;
  }

  /** {@code PROOF(from, D[0:to])}; empty when {@code from} is 0 or equals {@code to}. */
  public static List<byte[]> consistency(TreeHashes tree, long from, long to) {
    checkSize(tree, to);
    if (from < 0 || from > to) {
      throw new ProofException("no consistency proof from size " + from + " to size " + to);
    }
    List<byte[]> proof = new ArrayList<>(64);
    if (from == 0 || from == to) {
      return proof;
    }
    long lo = 0;
    long hi = to;
    long m = from;
    boolean isStart = true;
    while (m != hi - lo) {
      long k = largestPowerOfTwoBelow(hi - lo);
      if (m <= k) {
        proof.add(rangeHash(tree, lo + k, hi));
        hi = lo + k;
      } else {
        proof.add(rangeHash(tree, lo, lo + k));
        lo += k;
        m -= k;
        isStart = false;
      }
    }
    if (!isStart) {
      proof.add(rangeHash(tree, lo, hi));
    }
    Collections.reverse(proof);
    return proof;
  }

  /**
   * Checks that {@code leafHash} is leaf {@code index} of the tree of {@code size} leaves whose
   * root is {@code root} (RFC 9162 §2.1.3.2).
   */
  public static void verifyInclusion(
      byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root) {
    byte[] computed = rootFromInclusion(leafHash, index, size, proof);
    if (!MessageDigest.isEqual(computed, root)) {
      throw new ProofException(
          "the inclusion proof of leaf "
              + index
              + " leads to another root than size "
              + size
              + "'s");
    }
  }

  /** The root that an inclusion proof implies; throws if the proof has the wrong shape. */
  public static byte[] rootFromInclusion(
      byte[] leafHash, long index, long size, List<byte[]> proof) {
    if (index < 0 || index >= size) {
      throw new ProofException("leaf " + index + " is not in a tree of size " + size);
    }
    checkHash(leafHash, "leaf hash");
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      checkHash(p, "proof hash");
      if (sn == 0) {
        throw new ProofException("the inclusion proof is longer than the tree is high");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = LogHashes.node(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = LogHashes.node(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new ProofException("the inclusion proof is shorter than the tree is high");
    }
    return r;
  }

  /**
   * Checks that the tree of {@code from} leaves with root {@code fromRoot} is a prefix of the tree
   * of {@code to} leaves with root {@code toRoot} (RFC 9162 §2.1.4.2).
   */
  public static void verifyConsistency(
      long from, long to, List<byte[]> proof, byte[] fromRoot, byte[] toRoot) {
    if (from < 0 || from > to) {
      throw new ProofException("a tree of size " + to + " cannot extend one of size " + from);
    }
    if (from == to) {
      if (!proof.isEmpty() || !MessageDigest.isEqual(fromRoot, toRoot)) {
        throw new ProofException("two trees of size " + from + " with different roots");
      }
      return;
    }
    if (from == 0) {
      if (!proof.isEmpty()) {
        throw new ProofException("the consistency proof from the empty tree must be empty");
      }
      return;
    }
    if (proof.isEmpty()) {
      throw new ProofException("the consistency proof is empty");
    }
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(from) == 1) {
      path.add(fromRoot);
    }
    path.addAll(proof);
    long fn = from - 1;
    long sn = to - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = checkHash(path.get(0), "proof hash");
    byte[] sr = fr;
    for (byte[] c : path.subList(1, path.size())) {
      checkHash(c, "proof hash");
      if (sn == 0) {
        throw new ProofException("the consistency proof is longer than the tree is high");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = LogHashes.node(c, fr);
        sr = LogHashes.node(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = LogHashes.node(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0 || !MessageDigest.isEqual(fr, fromRoot) || !MessageDigest.isEqual(sr, toRoot)) {
      throw new ProofException(
          "the tree of size " + to + " is not consistent with the tree of size " + from);
    }
  }

  /**
   * {@code MTH(D[lo:hi])} where {@code lo} is a multiple of the largest power of two below {@code
   * hi - lo}, as every range in RFC 9162's recursion is: the maximal complete subtrees from the
   * left, folded from the right.
   */
  static byte[] rangeHash(TreeHashes tree, long lo, long hi) {
    List<byte[]> parts = new ArrayList<>(64);
    long i = lo;
    while (i < hi) {
      // The largest subtree aligned at i that fits: bounded by i's alignment and by hi - i.
      int level = Math.min(Long.numberOfTrailingZeros(i), 63 - Long.numberOfLeadingZeros(hi - i));
      parts.add(tree.subtree(level, i >>> level));
      i += 1L << level;
    }
    byte[] h = parts.get(parts.size() - 1);
    for (int j = parts.size() - 2; j >= 0; j--) {
      h = LogHashes.node(parts.get(j), h);
    }
    return h;
  }

  static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }

  private static void checkSize(TreeHashes tree, long size) {
    if (size < 0 || size > tree.size()) {
      throw new ProofException("the tree has " + tree.size() + " leaves, not " + size);
    }
  }

  private static byte[] checkHash(byte[] h, String what) {
    if (h.length != LogHashes.SIZE) {
      throw new ProofException("a " + what + " is 32 bytes, not " + h.length);
    }
    return h;
  }
}
