package org.canopymesh.map.model;

import java.time.Instant;

/**
 * A link as the map shows it.
 *
 * @param quality link quality 0..1 from layer-2 reports, or null
 * @param latencyMs round trip from reports, or null
 */
public record MapLink(
    LinkId id,
    LinkKind kind,
    LinkStatus status,
    Double quality,
    Double latencyMs,
    Instant lastSeen) {
  public String a() {
    return id.a();
  }

  public String b() {
    return id.b();
  }
}
