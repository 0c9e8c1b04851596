package org.canopymesh.naming.ownership;

import static org.canopymesh.naming.Fixtures.NOW;
import static org.canopymesh.naming.Fixtures.record;
import static org.canopymesh.naming.ownership.Decision.Outcome.CLAIMED;
import static org.canopymesh.naming.ownership.Decision.Outcome.KEY_LIMIT;
import static org.canopymesh.naming.ownership.Decision.Outcome.OUTSIDE_ZONE;
import static org.canopymesh.naming.ownership.Decision.Outcome.RENEWED;
import static org.canopymesh.naming.ownership.Decision.Outcome.STALE;
import static org.canopymesh.naming.ownership.Decision.Outcome.TAKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.canopymesh.naming.Fixtures;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.record.SignedRecord;
import org.junit.jupiter.api.Test;

class LedgerTest {
  static final SigningKey ALICE = Fixtures.key("alice");
  static final SigningKey BOB = Fixtures.key("bob");
  static final Duration DAY = Duration.ofDays(1);

  private final Ledger ledger = OwnershipRules.DEFAULT.ledger();
  private long index;

  private Decision offer(SignedRecord r) {
    return ledger.offer(new LoggedRecord(index++, r));
  }

  @Test
  void theFirstValidRecordForANameOwnsIt() {
    assertEquals(CLAIMED, offer(record(ALICE, "wiki.mesh.alt", 1, NOW)).outcome());
    Decision d = offer(record(BOB, "wiki.mesh.alt", 1, NOW.plusSeconds(10)));

    assertEquals(TAKEN, d.outcome());
    assertEquals(ALICE.verifyingKey(), d.owner().record().record().key());
  }

  @Test
  void theOwnerRenewsWithAHigherSeq() {
    offer(record(ALICE, "wiki.mesh.alt", 1, NOW));
    assertEquals(RENEWED, offer(record(ALICE, "wiki.mesh.alt", 2, NOW.plus(DAY))).outcome());
    assertEquals(STALE, offer(record(ALICE, "wiki.mesh.alt", 2, NOW.plus(DAY))).outcome());
    assertEquals(STALE, offer(record(ALICE, "wiki.mesh.alt", 1, NOW.plus(DAY))).outcome());
    assertEquals(2, ledger.owner("wiki.mesh.alt").orElseThrow().record().record().seq());
  }

  @Test
  void theOwnerMayRenewDuringTheGracePeriodButNobodyElseMayClaim() {
    offer(record(ALICE, "wiki.mesh.alt", 1, NOW)); // expires NOW + 30 days
    Instant inGrace = NOW.plus(Duration.ofDays(33));

    assertEquals(TAKEN, offer(record(BOB, "wiki.mesh.alt", 1, inGrace)).outcome());
    assertEquals(RENEWED, offer(record(ALICE, "wiki.mesh.alt", 2, inGrace)).outcome());
  }

  @Test
  void aNameIsFreeAgainSevenDaysAfterItExpires() {
    offer(record(ALICE, "wiki.mesh.alt", 1, NOW));
    Instant free = NOW.plus(Duration.ofDays(37));

    assertEquals(CLAIMED, offer(record(BOB, "wiki.mesh.alt", 1, free)).outcome());
    assertEquals(TAKEN, offer(record(ALICE, "wiki.mesh.alt", 9, free.plusSeconds(1))).outcome());
  }

  @Test
  void decidesAtTheRecordsIssuedTimeSoBackdatingDoesNotHelpASquatter() {
    offer(record(ALICE, "wiki.mesh.alt", 1, NOW));
    // Appended after Alice's grace, but issued inside it: still Alice's.
    assertEquals(
        TAKEN, offer(record(BOB, "wiki.mesh.alt", 1, NOW.plus(Duration.ofDays(31)))).outcome());
  }

  @Test
  void aKeyHoldsAtMostSixteenNames() {
    for (int i = 0; i < 16; i++) {
      assertEquals(CLAIMED, offer(record(ALICE, "n" + i + ".mesh.alt", 1, NOW)).outcome());
    }
    assertEquals(KEY_LIMIT, offer(record(ALICE, "n16.mesh.alt", 1, NOW)).outcome());
    assertEquals(RENEWED, offer(record(ALICE, "n3.mesh.alt", 2, NOW.plus(DAY))).outcome());
    // Once the other names lapse, the key may claim new ones.
    Instant later = NOW.plus(Duration.ofDays(38));
    assertEquals(CLAIMED, offer(record(ALICE, "n16.mesh.alt", 1, later)).outcome());
  }

  @Test
  void ignoresNamesOutsideTheZones() {
    assertEquals(OUTSIDE_ZONE, offer(record(ALICE, "wiki.example", 1, NOW)).outcome());
    assertTrue(ledger.owner("wiki.example").isEmpty());
  }

  @Test
  void reportsStatusAtAnyTime() {
    offer(record(ALICE, "wiki.mesh.alt", 1, NOW));
    NameStatus[] expected = {NameStatus.ACTIVE, NameStatus.GRACE, NameStatus.FREE};
    Instant[] times = {
      NOW.plus(Duration.ofDays(29)), NOW.plus(Duration.ofDays(31)), NOW.plus(Duration.ofDays(38))
    };
    for (int i = 0; i < times.length; i++) {
      NameTable t = ledger.table(times[i]);
      assertEquals(expected[i], t.get("wiki.mesh.alt").orElseThrow().status(), times[i].toString());
      assertEquals(times[i], t.time());
    }
  }

  @Test
  void theTableIsAPureFunctionOfTheEntriesAndTheTime() {
    List<byte[]> entries = new ArrayList<>();
    entries.add(record(ALICE, "wiki.mesh.alt", 1, NOW).encoded());
    entries.add("not a record".getBytes());
    entries.add(record(BOB, "wiki.mesh.alt", 1, NOW.plusSeconds(1)).encoded());
    entries.add(record(BOB, "chat.mesh.alt", 1, NOW.plusSeconds(2)).encoded());
    entries.add(record(ALICE, "wiki.mesh.alt", 2, NOW.plusSeconds(3)).encoded());

    NameTable a = OwnershipRules.DEFAULT.table(entries, NOW.plus(DAY));
    NameTable b = OwnershipRules.DEFAULT.table(List.copyOf(entries), NOW.plus(DAY));

    assertEquals(2, a.size());
    NameEntry wiki = a.get("wiki.mesh.alt").orElseThrow();
    assertEquals(ALICE.verifyingKey(), wiki.key());
    assertEquals(4, wiki.owner().index());
    assertEquals(2, wiki.record().seq());
    assertEquals(BOB.verifyingKey(), a.get("chat.mesh.alt").orElseThrow().key());
    assertEquals(a.entries().toString(), b.entries().toString());
  }
}
