package org.canopymesh.crawler.log;

import static org.canopymesh.naming.ownership.Decision.Outcome.CLAIMED;
import static org.canopymesh.naming.ownership.Decision.Outcome.TAKEN;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.canopymesh.naming.key.VerifyingKey;
import org.canopymesh.naming.ownership.Decision;
import org.canopymesh.naming.ownership.Ledger;
import org.canopymesh.naming.ownership.LoggedRecord;
import org.canopymesh.naming.ownership.NameStatus;
import org.canopymesh.naming.ownership.OwnershipRules;
import org.canopymesh.naming.record.NameRecord;

/**
 * Who owns which name in this log. The writer feeds it every appended record in log order; readers
 * see the names as of the latest checkpoint, so every answer comes with a proof that checkpoint
 * verifies.
 *
 * <p>A record another key holds the name for is only in this log because a peer accepted it first
 * (a direct submission that loses is refused): it is a rival claim, and the name is contested while
 * a rival is live.
 */
final class NameBook {
  private final Ledger ledger;
  private final Map<String, Map<VerifyingKey, LoggedRecord>> rivals = new HashMap<>();
  private final Set<String> changed = new HashSet<>();
  private final ConcurrentHashMap<String, NameView> published = new ConcurrentHashMap<>();

  NameBook(OwnershipRules rules) {
    this.ledger = rules.ledger();
  }

  /** What the rules make of {@code entry}; changes nothing unless the decision accepts it. */
  Decision decide(LoggedRecord entry) {
    return ledger.offer(entry);
  }

  /** Records that {@code entry}, decided as {@code d}, is now in the log. */
  void appended(LoggedRecord entry, Decision d) {
    NameRecord r = entry.record().record();
    if (d.outcome() == TAKEN && !d.owner().record().record().key().equals(r.key())) {
      Map<VerifyingKey, LoggedRecord> byKey =
          rivals.computeIfAbsent(r.name(), n -> new LinkedHashMap<>());
      LoggedRecord prior = byKey.get(r.key());
      if (prior == null || prior.record().record().isRenewedBy(r)) {
        byKey.put(r.key(), entry);
      }
    } else if (d.outcome() == CLAIMED) {
      Map<VerifyingKey, LoggedRecord> byKey = rivals.get(r.name());
      if (byKey != null) {
        byKey.remove(r.key());
      }
    }
    if (d.outcome().accepted() || d.outcome() == TAKEN) {
      changed.add(r.name());
    }
  }

  /** Makes every change so far visible to readers; call once the covering checkpoint is out. */
  void publish() {
    for (String name : changed) {
      ledger
          .owner(name)
          .ifPresent(
              owner ->
                  published.put(
                      name,
                      new NameView(
                          owner, new ArrayList<>(rivals.getOrDefault(name, Map.of()).values()))));
    }
    changed.clear();
  }

  /** The name as of the latest published checkpoint. */
  Optional<NameView> view(String name) {
    return Optional.ofNullable(published.get(name));
  }

  /** The owner record's status at {@code now}. */
  NameStatus status(NameRecord owner, Instant now) {
    return ledger.status(owner, now);
  }
}
