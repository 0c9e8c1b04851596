package org.canopymesh.agent.names;

import java.time.Instant;
import java.util.List;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.Service;

/**
 * A name that resolves: what its owner's record says, as DNS serves it.
 *
 * @param name the lower-case name without a trailing dot, e.g. {@code wiki.mesh.alt}
 * @param address the owner's overlay address (AAAA)
 * @param services the record's services (SRV)
 * @param texts the record's texts (TXT)
 * @param expires when the record expires; answers' TTLs never reach past it
 */
public record ServedName(
    String name,
    OverlayAddress address,
    List<Service> services,
    List<String> texts,
    Instant expires) {
  public ServedName {
    services = List.copyOf(services);
    texts = List.copyOf(texts);
  }

  /** What {@code record} serves. */
  public static ServedName of(NameRecord record) {
    return new ServedName(
        record.name(), record.address(), record.services(), record.texts(), record.expires());
  }
}
