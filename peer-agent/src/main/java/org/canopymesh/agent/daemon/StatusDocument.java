package org.canopymesh.agent.daemon;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.canopymesh.agent.dns.DnsCounters;
import org.canopymesh.agent.sync.MirrorStatus;
import org.canopymesh.naming.record.SignedRecord;

/** The parts of the status document as plain JSON values. */
final class StatusDocument {
  private StatusDocument() {}

  static List<Map<String, Object>> mirrors(List<MirrorStatus> mirrors) {
    return mirrors.stream().map(StatusDocument::mirror).toList();
  }

  private static Map<String, Object> mirror(MirrorStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("origin", s.origin());
    m.put("url", s.url().toString());
    m.put("counted", s.counted());
    m.put("fault", s.fault().map(Enum::name).orElse(null));
    m.put("detail", s.detail());
    m.put("checkpointSize", s.checkpointSize());
    m.put("entries", s.entries());
    m.put("cosigners", s.cosigners());
    m.put("lastAttempt", s.lastAttempt().map(Instant::toString).orElse(null));
    m.put("lastSuccess", s.lastSuccess().map(Instant::toString).orElse(null));
    return m;
  }

  static List<Map<String, Object>> registered(List<SignedRecord> records, Instant now) {
    return records.stream()
        .map(
            r -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("name", r.record().name());
              m.put("seq", r.record().seq());
              m.put("expires", r.record().expires().toString());
              m.put("expired", !now.isBefore(r.record().expires()));
              return m;
            })
        .toList();
  }

  static Map<String, Object> dns(DnsCounters c) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (var component : DnsCounters.class.getRecordComponents()) {
      try {
        m.put(component.getName(), component.getAccessor().invoke(c));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return m;
  }
}
