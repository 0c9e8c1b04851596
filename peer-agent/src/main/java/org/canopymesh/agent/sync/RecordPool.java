package org.canopymesh.agent.sync;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.log.LogHashes;
import org.canopymesh.naming.record.SignedRecord;

/**
 * Verifies the records of mirrors' logs once: n mirrors hold the same records, so a record already
 * verified from one log is only parsed for the next. Within a round (the load at start, or one sync
 * of every mirror) the parsed records are shared, so n ledgers hold one copy of each; across rounds
 * a bounded set of recently verified hashes remembers what need not be verified again.
 */
final class RecordPool {
  private static final int RECENT = 16_384;

  private final Set<ByteBuffer> recent =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>(RECENT, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> e) {
                  return size() > RECENT;
                }
              }));

  /** Entries checked: their leaf hashes and records, in log order. */
  record Page(List<byte[]> leaves, List<SignedRecord> records) {}

  /** The records seen in one round; dropped when it ends. */
  final class Round {
    private final Map<ByteBuffer, SignedRecord> seen = new ConcurrentHashMap<>();

    /**
     * The records of {@code entries}, entry {@code first} onwards, checked on all cores.
     *
     * @throws SyncException {@link Fault#FORGED_RECORD} naming the first entry that is not a
     *     validly signed record
     */
    Page verify(List<byte[]> entries, long first) {
      return check(entries, first, true);
    }

    /**
     * Like {@link #verify} but without checking signatures: for entries that the caller will
     * authenticate otherwise, by their tree's root under a verified checkpoint signature.
     */
    Page parseAuthenticated(List<byte[]> entries, long first) {
      return check(entries, first, false);
    }

    private Page check(List<byte[]> entries, long first, boolean verifySignatures) {
      SignedRecord[] out = new SignedRecord[entries.size()];
      byte[][] leaves = new byte[entries.size()][];
      IntStream.range(0, entries.size())
          .parallel()
          .forEach(
              i -> {
                leaves[i] = LogHashes.leaf(entries.get(i));
                out[i] = verifyOne(entries.get(i), leaves[i], verifySignatures);
              });
      for (int i = 0; i < out.length; i++) {
        if (out[i] == null) {
          throw new SyncException(
              Fault.FORGED_RECORD, "entry " + (first + i) + " is not a validly signed record");
        }
      }
      return new Page(List.of(leaves), List.of(out));
    }

    private SignedRecord verifyOne(byte[] entry, byte[] leaf, boolean verifySignature) {
      ByteBuffer hash = ByteBuffer.wrap(leaf);
      SignedRecord known = seen.get(hash);
      if (known != null) {
        return known;
      }
      try {
        SignedRecord r =
            !verifySignature || recent.contains(hash)
                ? SignedRecord.parseAuthenticated(entry)
                : SignedRecord.parse(entry);
        recent.add(hash);
        seen.put(hash, r);
        return r;
      } catch (NamingException e) {
        return null;
      }
    }
  }

  Round round() {
    return new Round();
  }
}
