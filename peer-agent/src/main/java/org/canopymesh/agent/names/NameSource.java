package org.canopymesh.agent.names;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.ownership.Resolution;

/**
 * The names the agent serves at one moment: an immutable snapshot, replaced whole after each sync,
 * so that a DNS answer never sees half an update.
 */
public interface NameSource {
  /** An empty source: nothing resolves (before the first sync, or with no mirrors). */
  NameSource EMPTY = NameIndex.of(java.util.List.<ServedName>of());

  /**
   * What is known about {@code name} at {@code now}.
   *
   * @param name lower case, without a trailing dot
   */
  Lookup lookup(String name, Instant now);

  /** The name that resolves to {@code address} at {@code now}, for PTR. */
  Optional<String> nameOf(OverlayAddress address, Instant now);

  /** How many names resolve or are contested. */
  int size();

  /** A source serving exactly {@code names} (tests, and the agent's own index). */
  static NameSource of(Collection<ServedName> names) {
    return NameIndex.of(names);
  }

  /** A source serving what the quorum decided: owned names resolve, contested ones do not. */
  static NameSource of(Map<String, Resolution> resolutions) {
    return NameIndex.of(resolutions);
  }
}
