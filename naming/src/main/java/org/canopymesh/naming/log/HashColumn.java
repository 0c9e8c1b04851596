package org.canopymesh.naming.log;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One level of the tree: a growable array of 32-byte hashes in chunks of 4,096. Growth copies at
 * most one chunk, the sparse upper levels cost little, and a million hashes take 32 MB in a few
 * hundred arrays.
 */
final class HashColumn {
  private static final int CHUNK_BITS = 12;
  private static final int CHUNK_HASHES = 1 << CHUNK_BITS;
  private static final int MASK = CHUNK_HASHES - 1;
  private static final int FIRST_CHUNK_HASHES = 8;

  private final List<byte[]> chunks = new ArrayList<>();
  private long size;

  long size() {
    return size;
  }

  void append(byte[] src, int offset) {
    int slot = (int) (size & MASK);
    if (slot == 0) {
      chunks.add(new byte[FIRST_CHUNK_HASHES * LogHashes.SIZE]);
    }
    int last = chunks.size() - 1;
    byte[] chunk = chunks.get(last);
    if (slot * LogHashes.SIZE == chunk.length) {
      // Upper levels hold few hashes: their chunk grows by doubling up to the full size.
      chunk = Arrays.copyOf(chunk, Math.min(2 * chunk.length, CHUNK_HASHES * LogHashes.SIZE));
      chunks.set(last, chunk);
    }
    System.arraycopy(src, offset, chunk, slot * LogHashes.SIZE, LogHashes.SIZE);
    size++;
  }

  byte[] get(long i) {
    byte[] out = new byte[LogHashes.SIZE];
    System.arraycopy(chunk(i), offset(i), out, 0, LogHashes.SIZE);
    return out;
  }

  /** Feeds hash {@code i} to {@code digest} without copying it. */
  void update(MessageDigest digest, long i) {
    digest.update(chunk(i), offset(i), LogHashes.SIZE);
  }

  private byte[] chunk(long i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("hash " + i + " of " + size);
    }
    return chunks.get((int) (i >>> CHUNK_BITS));
  }

  private static int offset(long i) {
    return (int) (i & MASK) * LogHashes.SIZE;
  }

  /** Bytes held in hash arrays, including the unused tail of the last chunk. */
  long retainedBytes() {
    return chunks.stream().mapToLong(c -> c.length).sum();
  }
}
