package org.canopymesh.naming.ownership;

import static org.canopymesh.naming.Fixtures.NOW;
import static org.canopymesh.naming.Fixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.canopymesh.naming.Fixtures;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.record.SignedRecord;
import org.junit.jupiter.api.Test;

class QuorumTest {
  static final SigningKey ALICE = Fixtures.key("alice");
  static final SigningKey BOB = Fixtures.key("bob");

  static NameTable log(SignedRecord... records) {
    Ledger l = OwnershipRules.DEFAULT.ledger();
    for (int i = 0; i < records.length; i++) {
      l.offer(new LoggedRecord(i, records[i]));
    }
    return l.table(NOW.plus(Duration.ofHours(1)));
  }

  static final SignedRecord ALICE_1 = record(ALICE, "wiki.mesh.alt", 1, NOW);
  static final SignedRecord ALICE_2 = record(ALICE, "wiki.mesh.alt", 2, NOW.plusSeconds(60));
  static final SignedRecord BOB_1 = record(BOB, "wiki.mesh.alt", 1, NOW);

  @Test
  void aNameResolvesWhenAMajorityAgrees() {
    List<NameTable> tables = List.of(log(ALICE_1), log(ALICE_1, ALICE_2), log(BOB_1));
    Resolution r = Quorum.majority(3).resolve("wiki.mesh.alt", tables);

    Resolution.Owned owned = assertInstanceOf(Resolution.Owned.class, r);
    assertEquals(2, owned.votes());
    assertEquals(ALICE.verifyingKey(), owned.entry().key());
    assertEquals(2, owned.entry().record().seq(), "the agreeing entry with the highest seq");
  }

  @Test
  void aNameWithoutQuorumIsContested() {
    List<NameTable> tables = List.of(log(ALICE_1), log(BOB_1), log());
    Resolution r = Quorum.majority(3).resolve("wiki.mesh.alt", tables);

    Resolution.Contested c = assertInstanceOf(Resolution.Contested.class, r);
    assertEquals(Map.of(ALICE.verifyingKey(), 1, BOB.verifyingKey(), 1), c.votes());
  }

  @Test
  void twoOwnersThatBothReachALowQuorumAreContested() {
    List<NameTable> tables = List.of(log(ALICE_1), log(ALICE_1), log(BOB_1), log(BOB_1));
    assertInstanceOf(Resolution.Contested.class, new Quorum(2).resolve("wiki.mesh.alt", tables));
  }

  @Test
  void aNameNoLogHoldsIsAbsent() {
    List<NameTable> tables = List.of(log(ALICE_1), log());
    assertInstanceOf(Resolution.Absent.class, new Quorum(1).resolve("chat.mesh.alt", tables));
  }

  @Test
  void freeNamesAreNoVotes() {
    Ledger l = OwnershipRules.DEFAULT.ledger();
    l.offer(new LoggedRecord(0, ALICE_1));
    NameTable lapsed = l.table(NOW.plus(Duration.ofDays(60)));
    assertInstanceOf(
        Resolution.Absent.class, new Quorum(1).resolve("wiki.mesh.alt", List.of(lapsed)));
  }

  @Test
  void resolvesEveryNameAnyLogKnows() {
    SignedRecord chat = record(BOB, "chat.mesh.alt", 1, NOW);
    Map<String, Resolution> all =
        Quorum.majority(2).resolveAll(List.of(log(ALICE_1, chat), log(ALICE_1)));
    assertEquals(List.of("chat.mesh.alt", "wiki.mesh.alt"), List.copyOf(all.keySet()));
    assertInstanceOf(Resolution.Contested.class, all.get("chat.mesh.alt"));
    assertInstanceOf(Resolution.Owned.class, all.get("wiki.mesh.alt"));
  }

  @Test
  void rejectsQuorumsThatCannotBeMet() {
    assertThrows(IllegalArgumentException.class, () -> new Quorum(0));
    assertThrows(
        IllegalArgumentException.class, () -> new Quorum(3).resolve("x", List.of(log(), log())));
    assertEquals(2, Quorum.majority(3).k());
    assertEquals(3, Quorum.majority(4).k());
    assertEquals(1, Quorum.majority(1).k());
  }
}
