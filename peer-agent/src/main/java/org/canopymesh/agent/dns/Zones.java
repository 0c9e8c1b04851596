package org.canopymesh.agent.dns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The zones the server is authoritative for: the configured ones, .meship, and 200::/7 PTR. */
final class Zones {
  static final String MESHIP = "meship";

  /** 200::/7 is the first bytes 02 and 03: nibbles 0,2 and 0,3, reversed. */
  static final List<String> REVERSE = List.of("2.0.ip6.arpa", "3.0.ip6.arpa");

  enum Kind {
    /** Names from the verified log: {@code wiki.mesh.alt}. */
    NAMES,
    /** Names decoded from themselves: {@code <base32>.meship}. */
    MESHIP,
    /** PTR names of overlay addresses. */
    REVERSE
  }

  /** A zone and its apex, lower case without the final dot. */
  record Zone(String apex, Kind kind) {
    /** Where the apex starts in {@code name}, which is in this zone. */
    int apexIndex(String name) {
      return name.length() - apex.length();
    }
  }

  private final List<Zone> zones;

  Zones(List<String> names) {
    List<Zone> all = new ArrayList<>();
    names.forEach(n -> all.add(new Zone(n, Kind.NAMES)));
    all.add(new Zone(MESHIP, Kind.MESHIP));
    REVERSE.forEach(n -> all.add(new Zone(n, Kind.REVERSE)));
    // The longest apex first, so that a zone inside another zone wins its names.
    all.sort(Comparator.comparingInt((Zone z) -> z.apex().length()).reversed());
    this.zones = List.copyOf(all);
  }

  /** The zone {@code name} (lower case) belongs to, if it is one of ours. */
  Optional<Zone> find(String name) {
    for (Zone z : zones) {
      String apex = z.apex();
      if (name.endsWith(apex)
          && (name.length() == apex.length()
              || name.charAt(name.length() - apex.length() - 1) == '.')) {
        return Optional.of(z);
      }
    }
    return Optional.empty();
  }
}
