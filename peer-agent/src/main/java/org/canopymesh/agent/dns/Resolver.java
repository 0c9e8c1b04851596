package org.canopymesh.agent.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.canopymesh.agent.names.Lookup;
import org.canopymesh.agent.names.NameSource;
import org.canopymesh.agent.names.ServedName;
import org.canopymesh.naming.address.MeshipName;
import org.canopymesh.naming.address.MeshipNameException;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.record.Service;

/**
 * Decides the answer to a query from the current name snapshot: no I/O, no encoding, so every case
 * of the behaviour is a plain function of the query, the names and the time.
 */
final class Resolver {
  /** The negative-answer TTL (SOA minimum) when maxTtl is not shorter. */
  static final int NEGATIVE_TTL = 60;

  private static final int MESHIP_LABEL = 26;
  private static final int ADDRESS_NIBBLES = 32;

  private final Zones zones;
  private final Supplier<NameSource> names;
  private final Clock clock;
  private final int maxTtl;
  private final int negativeTtl;
  private final boolean forwarding;
  private final Serial serial = new Serial();

  Resolver(
      Zones zones, Supplier<NameSource> names, Clock clock, Duration maxTtl, boolean forwarding) {
    this.zones = zones;
    this.names = names;
    this.clock = clock;
    this.maxTtl = (int) maxTtl.getSeconds();
    this.negativeTtl = Math.min(NEGATIVE_TTL, this.maxTtl);
    this.forwarding = forwarding;
  }

  Reply resolve(Query q) {
    Optional<Zones.Zone> zone = zones.find(q.name());
    if (zone.isEmpty()) {
      return forwarding ? Reply.Forward.UPSTREAM : Answer.error(Rcode.REFUSED);
    }
    RecordType type = q.recordType();
    if (q.qclass() != Header.CLASS_IN || type == RecordType.AXFR || type == RecordType.IXFR) {
      return Answer.error(Rcode.REFUSED); // no other classes, no zone transfers
    }
    Instant now = clock.instant();
    NameSource source = names.get();
    Context c = new Context(q, type, zone.get().apexIndex(q.name()), source, now);
    if (c.apex == 0) {
      return apex(c);
    }
    return switch (zone.get().kind()) {
      case NAMES -> q.name().charAt(0) == '_' ? service(c) : name(c);
      case MESHIP -> meship(c);
      case REVERSE -> reverse(c);
    };
  }

  /** One query's inputs; {@code apex} is where the zone's apex starts in the name. */
  private record Context(Query query, RecordType type, int apex, NameSource source, Instant now) {
    String name() {
      return query.name();
    }
  }

  private Answer apex(Context c) {
    if (c.type == RecordType.SOA || c.type == RecordType.ANY) {
      return positive(List.of(soa(c)), List.of());
    }
    return noData(c);
  }

  /** {@code <name>.<zone>}: AAAA, TXT; ANY gets the AAAA alone (RFC 8482). */
  private Answer name(Context c) {
    if (!(c.source.lookup(c.name(), c.now) instanceof Lookup.Resolved r)) {
      return nxDomain(c); // absent, expired, or contested: none of them resolves
    }
    ServedName s = r.name();
    int ttl = ttl(s, c.now);
    return switch (c.type) {
      case AAAA, ANY -> positive(List.of(new Rr.Aaaa(0, ttl, s.address())), List.of());
      case TXT -> s.texts().isEmpty() ? noData(c) : positive(texts(s, ttl), List.of());
      default -> noData(c);
    };
  }

  private static List<Rr> texts(ServedName s, int ttl) {
    List<Rr> out = new ArrayList<>(s.texts().size());
    s.texts().forEach(t -> out.add(new Rr.Txt(0, ttl, t)));
    return out;
  }

  /**
   * {@code _<service>._<proto>.<name>.<zone>} gets SRV records with the target's AAAA as additional
   * data; {@code _<proto>.<name>.<zone>} exists (an empty non-terminal) when the name offers a
   * service over that protocol.
   */
  private Answer service(Context c) {
    String name = c.name();
    int first = name.indexOf('.');
    String label = name.substring(0, first);
    if (isProtocolLabel(label)) {
      Optional<ServedName> host = resolved(c, first + 1);
      boolean any =
          host.isPresent()
              && host.get().services().stream()
                  .anyMatch(s -> s.protocol().label().equals(label.substring(1)));
      return any ? noData(c) : nxDomain(c);
    }
    int second = name.indexOf('.', first + 1);
    if (second < 0 || second + 1 >= c.apex || !isProtocolLabel(name.substring(first + 1, second))) {
      return nxDomain(c);
    }
    String service = label.substring(1);
    String protocol = name.substring(first + 2, second);
    int target = second + 1;
    Optional<ServedName> host = resolved(c, target);
    if (host.isEmpty()) {
      return nxDomain(c);
    }
    ServedName s = host.get();
    int ttl = ttl(s, c.now);
    List<Rr> srv = new ArrayList<>();
    for (Service svc : s.services()) {
      if (svc.service().equals(service) && svc.protocol().label().equals(protocol)) {
        srv.add(new Rr.Srv(0, ttl, svc.port(), target));
      }
    }
    if (srv.isEmpty()) {
      return nxDomain(c);
    }
    if (c.type != RecordType.SRV && c.type != RecordType.ANY) {
      return noData(c);
    }
    return positive(srv, List.of(new Rr.Aaaa(target, ttl, s.address())));
  }

  private static boolean isProtocolLabel(String label) {
    return label.equals("_tcp") || label.equals("_udp");
  }

  /** The name that starts at {@code index} of the query's name, if it resolves. */
  private Optional<ServedName> resolved(Context c, int index) {
    if (index >= c.apex) {
      return Optional.empty(); // the apex itself is never a name
    }
    return c.source.lookup(c.name().substring(index), c.now) instanceof Lookup.Resolved r
        ? Optional.of(r.name())
        : Optional.empty();
  }

  /** {@code <26 base32>.meship}: the address is the name; no lookup, the TTL is the longest. */
  private Answer meship(Context c) {
    String label = c.name().substring(0, c.apex - 1);
    if (label.length() != MESHIP_LABEL || label.indexOf('.') >= 0) {
      return nxDomain(c);
    }
    OverlayAddress address;
    try {
      address = MeshipName.parse(label).address();
    } catch (MeshipNameException e) {
      return nxDomain(c); // not canonical, or not an overlay address
    }
    if (c.type == RecordType.AAAA || c.type == RecordType.ANY) {
      return positive(List.of(new Rr.Aaaa(0, maxTtl, address)), List.of());
    }
    return noData(c);
  }

  /**
   * PTR of an address in 200::/7: the owner's name, or for a node address its {@code .meship} name.
   * A shorter run of nibbles is an empty non-terminal (NODATA); anything else does not exist.
   */
  private Answer reverse(Context c) {
    String name = c.name();
    int nibbles = nibbleCount(name, c.apex - 1);
    if (nibbles < 0) {
      return nxDomain(c);
    }
    if (nibbles < ADDRESS_NIBBLES - 2) {
      return noData(c);
    }
    OverlayAddress address = reverseAddress(name);
    Optional<String> owner = c.source.nameOf(address, c.now);
    Rr.Ptr ptr;
    if (owner.isPresent()) {
      ptr = new Rr.Ptr(0, ownerTtl(c, owner.get()), owner.get());
    } else if (address.isNodeAddress()) {
      ptr = new Rr.Ptr(0, maxTtl, MeshipName.of(address).toString());
    } else {
      return nxDomain(c);
    }
    if (c.type == RecordType.PTR || c.type == RecordType.ANY) {
      return positive(List.of(ptr), List.of());
    }
    return noData(c);
  }

  private int ownerTtl(Context c, String owner) {
    return c.source.lookup(owner, c.now) instanceof Lookup.Resolved r ? ttl(r.name(), c.now) : 1;
  }

  /** How many single-nibble labels make up {@code name[0, end)}, or -1 if it is anything else. */
  private static int nibbleCount(String name, int end) {
    if (end % 2 == 0) {
      return -1; // "x.y.z": an odd length
    }
    for (int i = 0; i < end; i++) {
      char ch = name.charAt(i);
      boolean ok = i % 2 == 1 ? ch == '.' : (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
      if (!ok) {
        return -1;
      }
    }
    int count = (end + 1) / 2;
    return count <= ADDRESS_NIBBLES - 2 ? count : -1;
  }

  /** The address of a full 32-nibble PTR name: nibbles are written last first. */
  private static OverlayAddress reverseAddress(String name) {
    long high = 0;
    long low = 0;
    for (int i = 0; i < ADDRESS_NIBBLES; i++) {
      int nibble = Character.digit(name.charAt(2 * (ADDRESS_NIBBLES - 1 - i)), 16);
      if (i < 16) {
        high = high << 4 | nibble;
      } else {
        low = low << 4 | nibble;
      }
    }
    return new OverlayAddress(high, low);
  }

  private int ttl(ServedName s, Instant now) {
    long left = s.expires().getEpochSecond() - now.getEpochSecond();
    return (int) Math.max(1, Math.min(maxTtl, left));
  }

  private Rr.Soa soa(Context c) {
    return new Rr.Soa(c.apex, negativeTtl, serial.of(c.source, c.now), negativeTtl);
  }

  private static Answer positive(List<Rr> answers, List<Rr> additional) {
    return new Answer(Rcode.NOERROR, true, answers, List.of(), additional);
  }

  private Answer noData(Context c) {
    return new Answer(Rcode.NOERROR, true, List.of(), List.of(soa(c)), List.of());
  }

  private Answer nxDomain(Context c) {
    return new Answer(Rcode.NXDOMAIN, true, List.of(), List.of(soa(c)), List.of());
  }

  /**
   * The SOA serial: the time the current snapshot was first served, so that it grows with every
   * sync that changed the names. Racy by design: two threads may both see a new snapshot and write
   * nearly the same value.
   */
  private static final class Serial {
    private volatile NameSource seen;
    private volatile long serial;

    long of(NameSource source, Instant now) {
      if (source != seen) {
        serial = now.getEpochSecond() & 0xffffffffL;
        seen = source;
      }
      return serial;
    }
  }
}
