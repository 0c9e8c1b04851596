package org.canopymesh.agent.daemon;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.canopymesh.naming.record.SignedRecord;

/**
 * The status document as plain JSON values. Records become objects of their components, so the
 * document follows the status records ({@code MirrorStatus}, {@code DnsCounters}, {@code
 * ReportStatus}) without a hand-written copy of each that could drift from them.
 */
final class StatusDocument {
  private StatusDocument() {}

  /** {@code value} as maps, lists, strings, numbers, booleans and nulls. */
  static Object plain(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Optional<?> o) {
      return plain(o.orElse(null));
    }
    if (value instanceof List<?> l) {
      return l.stream().map(StatusDocument::plain).toList();
    }
    if (value instanceof Number || value instanceof Boolean || value instanceof Map<?, ?>) {
      return value;
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value.getClass().isRecord()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (RecordComponent c : value.getClass().getRecordComponents()) {
        try {
          m.put(c.getName(), plain(c.getAccessor().invoke(value)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + c, e);
        }
      }
      return m;
    }
    return value.toString();
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
}
