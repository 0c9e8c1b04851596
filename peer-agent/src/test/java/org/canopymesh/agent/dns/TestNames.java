package org.canopymesh.agent.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.canopymesh.agent.names.Lookup;
import org.canopymesh.agent.names.NameSource;
import org.canopymesh.agent.names.ServedName;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.record.Service;

/** The names every DNS test serves, at a fixed time. */
final class TestNames {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  static final OverlayAddress WIKI = OverlayAddress.parse("202:8e1f:c848:ae84:d702:1fcf:b507:438d");
  static final OverlayAddress SOON = OverlayAddress.parse("200:1111:2222:3333:4444:5555:6666:7777");
  static final OverlayAddress BIG = OverlayAddress.parse("201:abcd::1");
  static final OverlayAddress MEDIUM = OverlayAddress.parse("201:abcd::2");
  static final OverlayAddress GONE = OverlayAddress.parse("200:9999::1");
  static final OverlayAddress DISPUTED = OverlayAddress.parse("200:8888::1");

  /** A node address that has no name: PTR falls back to its .meship name. */
  static final OverlayAddress NAMELESS = OverlayAddress.parse("203:dead:beef::42");

  /** An address in a node's routed /64 that has no name: no PTR. */
  static final OverlayAddress SUBNET_HOST = OverlayAddress.parse("302:8e1f:c848:ae84::1");

  /** 255 bytes: the longest text a record may have. */
  static final String LONG_TEXT = "x".repeat(254) + "y";

  private TestNames() {}

  static NameSource source() {
    Instant day = NOW.plus(Duration.ofDays(1));
    List<ServedName> names = new ArrayList<>();
    names.add(
        new ServedName(
            "wiki.mesh.alt",
            WIKI,
            List.of(Service.parse("http:tcp:80"), Service.parse("http:tcp:8080")),
            List.of("hello wiki", "v=2 a text with spaces"),
            day));
    names.add(new ServedName("soon.mesh.alt", SOON, List.of(), List.of(), NOW.plusSeconds(42)));
    names.add(new ServedName("gone.mesh.alt", GONE, List.of(), List.of(), NOW.minusSeconds(1)));
    names.add(
        new ServedName(
            "medium.mesh.alt", MEDIUM, List.of(), List.of(LONG_TEXT, LONG_TEXT, LONG_TEXT), day));
    List<String> sixteen = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      sixteen.add(LONG_TEXT);
    }
    names.add(new ServedName("big.mesh.alt", BIG, List.of(), sixteen, day));
    names.add(new ServedName("disputed.mesh.alt", DISPUTED, List.of(), List.of(), day));
    return new Contesting(NameSource.of(names), "disputed.mesh.alt");
  }

  /** Makes one name contested, as when the mirrors disagree on its owner. */
  private record Contesting(NameSource names, String contested) implements NameSource {
    @Override
    public Lookup lookup(String name, Instant now) {
      return name.equals(contested)
          ? new Lookup.Contested(Map.of(WIKI.toString(), 1, SOON.toString(), 1))
          : names.lookup(name, now);
    }

    @Override
    public Optional<String> nameOf(OverlayAddress address, Instant now) {
      return names.nameOf(address, now);
    }

    @Override
    public int size() {
      return names.size();
    }
  }

  /** The PTR name of {@code a}: 32 nibbles, last first, then ip6.arpa. */
  static String reverse(OverlayAddress a) {
    StringBuilder sb = new StringBuilder();
    byte[] b = a.bytes();
    for (int i = 15; i >= 0; i--) {
      sb.append(Character.forDigit(b[i] & 0xf, 16)).append('.');
      sb.append(Character.forDigit((b[i] >>> 4) & 0xf, 16)).append('.');
    }
    return sb.append("ip6.arpa").toString();
  }
}
