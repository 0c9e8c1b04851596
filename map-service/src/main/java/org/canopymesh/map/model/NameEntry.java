package org.canopymesh.map.model;

import java.time.Instant;
import java.util.List;

/**
 * A name a node holds, from a valid signed record a crawler harvested.
 *
 * @param name the host name
 * @param services SRV targets as {@code _service._proto port}
 * @param texts TXT strings
 * @param expires when the record lapses
 */
public record NameEntry(String name, List<String> services, List<String> texts, Instant expires) {
  public NameEntry {
    services = List.copyOf(services);
    texts = List.copyOf(texts);
  }
}
