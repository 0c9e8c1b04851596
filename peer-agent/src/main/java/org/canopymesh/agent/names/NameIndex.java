package org.canopymesh.agent.names;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.ownership.Resolution;

/** Hash maps by name and by address; built once per sync, read by every DNS thread. */
final class NameIndex implements NameSource {
  private final Map<String, Lookup> byName;
  private final Map<OverlayAddress, List<String>> byAddress;

  private NameIndex(Map<String, Lookup> byName) {
    this.byName = byName;
    this.byAddress = new HashMap<>();
    // An address with several names answers PTR with the first in name order that resolves.
    new TreeMap<>(byName)
        .forEach(
            (name, l) -> {
              if (l instanceof Lookup.Resolved r) {
                byAddress.computeIfAbsent(r.name().address(), a -> new ArrayList<>(1)).add(name);
              }
            });
  }

  static NameIndex of(Collection<ServedName> names) {
    Map<String, Lookup> m = new HashMap<>();
    for (ServedName n : names) {
      m.put(n.name(), new Lookup.Resolved(n));
    }
    return new NameIndex(m);
  }

  /** The index of what the quorum decided. */
  static NameIndex of(Map<String, Resolution> resolutions) {
    Map<String, Lookup> m = new HashMap<>();
    resolutions.forEach(
        (name, r) -> {
          if (r instanceof Resolution.Owned o) {
            m.put(name, new Lookup.Resolved(ServedName.of(o.entry().record())));
          } else if (r instanceof Resolution.Contested c) {
            Map<String, Integer> votes = new HashMap<>();
            c.votes().forEach((k, v) -> votes.put(OverlayAddress.forKey(k).toString(), v));
            m.put(name, new Lookup.Contested(votes));
          }
        });
    return new NameIndex(m);
  }

  @Override
  public Lookup lookup(String name, Instant now) {
    Lookup l = byName.get(name);
    if (l == null) {
      return new Lookup.Absent();
    }
    if (l instanceof Lookup.Resolved r && !now.isBefore(r.name().expires())) {
      return new Lookup.Expired(r.name().expires());
    }
    return l;
  }

  @Override
  public Optional<String> nameOf(OverlayAddress address, Instant now) {
    for (String name : byAddress.getOrDefault(address, List.of())) {
      if (lookup(name, now) instanceof Lookup.Resolved) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  @Override
  public int size() {
    return byName.size();
  }
}
