package org.canopymesh.naming.ownership;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.canopymesh.naming.key.VerifyingKey;

/**
 * The resolver's rule for trusting no single mirror: a name belongs to the key that at least {@code
 * k} of the {@code n} logs' name tables give it to; otherwise it is contested and does not resolve.
 *
 * @param k the quorum, 1 to n
 */
public record Quorum(int k) {
  public Quorum {
    if (k < 1) {
      throw new IllegalArgumentException("a quorum is at least 1, not " + k);
    }
  }

  /** The default quorum of {@code n} mirrors: a strict majority. */
  public static Quorum majority(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a quorum needs at least one mirror");
    }
    return new Quorum(n / 2 + 1);
  }

  /** Resolves every name any table knows, in name order. */
  public Map<String, Resolution> resolveAll(List<NameTable> tables) {
    TreeSet<String> names = new TreeSet<>();
    for (NameTable t : tables) {
      t.entries().forEach(e -> names.add(e.name()));
    }
    Map<String, Resolution> out = new TreeMap<>();
    for (String name : names) {
      out.put(name, resolve(name, tables));
    }
    return out;
  }

  /** What the tables say about {@code name}. Free entries are no votes. */
  public Resolution resolve(String name, List<NameTable> tables) {
    if (k > tables.size()) {
      throw new IllegalArgumentException(
          "a quorum of " + k + " cannot be met by " + tables.size() + " logs");
    }
    Map<VerifyingKey, List<NameEntry>> byKey = new HashMap<>();
    for (NameTable t : tables) {
      Optional<NameEntry> e = t.get(name);
      if (e.isPresent() && e.get().status() != NameStatus.FREE) {
        byKey.computeIfAbsent(e.get().key(), x -> new ArrayList<>()).add(e.get());
      }
    }
    if (byKey.isEmpty()) {
      return new Resolution.Absent();
    }
    List<List<NameEntry>> winners = byKey.values().stream().filter(v -> v.size() >= k).toList();
    if (winners.size() == 1) {
      List<NameEntry> agreeing = winners.get(0);
      NameEntry best = agreeing.get(0);
      for (NameEntry e : agreeing) {
        if (Long.compareUnsigned(e.record().seq(), best.record().seq()) > 0) {
          best = e;
        }
      }
      return new Resolution.Owned(best, agreeing.size());
    }
    Map<VerifyingKey, Integer> votes = new HashMap<>();
    byKey.forEach((key, v) -> votes.put(key, v.size()));
    return new Resolution.Contested(votes);
  }
}
