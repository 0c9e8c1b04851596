package org.canopymesh.crawler.log;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.canopymesh.naming.log.LogHashes;
import org.canopymesh.naming.log.TreeHashes;

/**
 * Runs a tree computation against the database in one query: first against a tree that only records
 * which subtrees are asked for, then against those hashes, fetched together.
 */
final class Prefetched implements TreeHashes {
  private static final byte[] PLACEHOLDER = new byte[LogHashes.SIZE];

  private final long size;
  private final Map<Long, byte[]> hashes;
  private final LongStream.Builder asked;

  private Prefetched(long size, Map<Long, byte[]> hashes, LongStream.Builder asked) {
    this.size = size;
    this.hashes = hashes;
    this.asked = asked;
  }

  static <T> T run(LogStore store, long size, Function<TreeHashes, T> computation) {
    LongStream.Builder asked = LongStream.builder();
    computation.apply(new Prefetched(size, null, asked));
    long[] ids = asked.build().distinct().toArray();
    Map<Long, byte[]> hashes = ids.length == 0 ? Map.of() : store.nodes(ids);
    return computation.apply(new Prefetched(size, hashes, null));
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public byte[] subtree(int level, long index) {
    long id = LogStore.nodeId(level, index);
    if (hashes == null) {
      asked.add(id);
      return PLACEHOLDER;
    }
    byte[] h = hashes.get(id);
    if (h == null) {
      throw new LogStore.LogStoreException(
          "the log lacks the hash of subtree " + index + " at level " + level);
    }
    return h;
  }
}
