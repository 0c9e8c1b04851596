package org.canopymesh.naming.ownership;

import static org.canopymesh.naming.ownership.Decision.Outcome.CLAIMED;
import static org.canopymesh.naming.ownership.Decision.Outcome.KEY_LIMIT;
import static org.canopymesh.naming.ownership.Decision.Outcome.OUTSIDE_ZONE;
import static org.canopymesh.naming.ownership.Decision.Outcome.RENEWED;
import static org.canopymesh.naming.ownership.Decision.Outcome.STALE;
import static org.canopymesh.naming.ownership.Decision.Outcome.TAKEN;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.canopymesh.naming.key.VerifyingKey;
import org.canopymesh.naming.record.NameRecord;

/**
 * The ownership state of one log, fed its records in log order. Every decision is taken at the new
 * record's own {@code issued} time, never at a wall clock, so anyone who replays the same log
 * reaches the same owners.
 *
 * <p>Not thread-safe.
 */
public final class Ledger {
  private final OwnershipRules rules;
  private final Map<String, LoggedRecord> owners = new HashMap<>();
  private final Map<VerifyingKey, Set<String>> namesByKey = new HashMap<>();

  Ledger(OwnershipRules rules) {
    this.rules = rules;
  }

  /** Applies the ownership rules to the next record of the log. */
  public Decision offer(LoggedRecord entry) {
    NameRecord r = entry.record().record();
    if (!rules.records().isInZone(r.name())) {
      return new Decision(OUTSIDE_ZONE, owners.get(r.name()));
    }
    Instant t = r.issued();
    LoggedRecord current = owners.get(r.name());
    if (current != null) {
      NameRecord cur = current.record().record();
      boolean sameKey = cur.key().equals(r.key());
      if (sameKey && !cur.isRenewedBy(r)) {
        return new Decision(STALE, current);
      }
      if (!isFree(cur, t)) {
        if (!sameKey) {
          return new Decision(TAKEN, current);
        }
        owners.put(r.name(), entry);
        return new Decision(RENEWED, entry);
      }
    }
    if (namesHeld(r.key(), t) >= rules.maxNamesPerKey()) {
      return new Decision(KEY_LIMIT, current);
    }
    claim(entry, current);
    return new Decision(CLAIMED, entry);
  }

  private void claim(LoggedRecord entry, LoggedRecord previous) {
    NameRecord r = entry.record().record();
    if (previous != null) {
      namesByKey.get(previous.record().record().key()).remove(r.name());
    }
    owners.put(r.name(), entry);
    namesByKey.computeIfAbsent(r.key(), k -> new HashSet<>()).add(r.name());
  }

  /** Names {@code key} owns that are not free at {@code t}. */
  private int namesHeld(VerifyingKey key, Instant t) {
    int n = 0;
    for (String name : namesByKey.getOrDefault(key, Set.of())) {
      if (!isFree(owners.get(name).record().record(), t)) {
        n++;
      }
    }
    return n;
  }

  private boolean isFree(NameRecord r, Instant t) {
    return !t.isBefore(r.expires().plus(rules.grace()));
  }

  /** The owner record of {@code name}, whatever its status. */
  public Optional<LoggedRecord> owner(String name) {
    return Optional.ofNullable(owners.get(name));
  }

  /** The status of {@code name}'s current record at {@code now}. */
  public NameStatus status(NameRecord owner, Instant now) {
    if (now.isBefore(owner.expires())) {
      return NameStatus.ACTIVE;
    }
    return isFree(owner, now) ? NameStatus.FREE : NameStatus.GRACE;
  }

  /** A snapshot of every name with its status at {@code now}. */
  public NameTable table(Instant now) {
    TreeMap<String, NameEntry> entries = new TreeMap<>();
    for (Map.Entry<String, LoggedRecord> e : owners.entrySet()) {
      NameStatus s = status(e.getValue().record().record(), now);
      entries.put(e.getKey(), new NameEntry(e.getValue(), s));
    }
    return new NameTable(now, entries);
  }
}
