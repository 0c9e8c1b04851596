package org.canopymesh.agent.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.canopymesh.naming.address.OverlayAddress;
import org.junit.jupiter.api.Test;

class NameIndexTest {
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  static final OverlayAddress A = OverlayAddress.parse("200::1");

  static ServedName name(String n, Instant expires) {
    return new ServedName(n, A, List.of(), List.of(), expires);
  }

  @Test
  void ptrSkipsAnExpiredNameForOneOfTheAddressesOtherNames() {
    NameSource s =
        NameSource.of(
            List.of(
                name("a.mesh.alt", NOW.minusSeconds(1)), name("b.mesh.alt", NOW.plusSeconds(60))));
    assertInstanceOf(Lookup.Expired.class, s.lookup("a.mesh.alt", NOW));
    assertEquals(Optional.of("b.mesh.alt"), s.nameOf(A, NOW));
  }

  @Test
  void ptrAnswersTheFirstNameInOrderWhenSeveralResolve() {
    NameSource s =
        NameSource.of(
            List.of(
                name("z.mesh.alt", NOW.plusSeconds(60)), name("b.mesh.alt", NOW.plusSeconds(60))));
    assertEquals(Optional.of("b.mesh.alt"), s.nameOf(A, NOW));
    assertEquals(Optional.empty(), s.nameOf(A, NOW.plusSeconds(61)));
  }
}
