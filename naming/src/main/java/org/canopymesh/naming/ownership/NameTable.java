package org.canopymesh.naming.ownership;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Every name one log has seen, its owner and its status at one time. Immutable. */
public final class NameTable {
  private final Instant time;
  private final SortedMap<String, NameEntry> entries;

  NameTable(Instant time, SortedMap<String, NameEntry> entries) {
    this.time = time;
    this.entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }

  /** The time the statuses are for. */
  public Instant time() {
    return time;
  }

  public Optional<NameEntry> get(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** All names, in name order, free ones included. */
  public Collection<NameEntry> entries() {
    return entries.values();
  }

  public int size() {
    return entries.size();
  }
}
