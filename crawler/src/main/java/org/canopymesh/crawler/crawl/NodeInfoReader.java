package org.canopymesh.crawler.crawl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.canopymesh.naming.record.InvalidRecordException;
import org.canopymesh.naming.record.RecordRules;
import org.canopymesh.naming.record.SignedRecord;

/**
 * Reads what Canopy uses from a NodeInfo object: {@code name}, {@code location} ({@code
 * {"lat":..,"lon":..}} or text), {@code buildversion}, and the {@code canopy} object ({@code
 * records}, {@code island}, {@code hide}). Anything malformed is ignored, never trusted.
 */
final class NodeInfoReader {
  static final int MAX_TEXT = 200;
  static final int MAX_RECORDS = 32;

  private final RecordRules rules;

  NodeInfoReader(RecordRules rules) {
    this.rules = rules;
  }

  NodeObservation read(
      String key, String address, Responded responded, JsonNode info, Instant now) {
    if (info == null || !info.isObject()) {
      return new NodeObservation(
          key, address, responded, null, null, null, null, null, false, List.of());
    }
    JsonNode canopy = info.path("canopy");
    return new NodeObservation(
        key,
        address,
        responded,
        info,
        text(info.path("name")),
        location(info.path("location")),
        text(canopy.path("island")),
        text(info.path("buildversion")),
        canopy.path("hide").asBoolean(false) && canopy.path("hide").isBoolean(),
        records(key, canopy.path("records"), now));
  }

  private static String text(JsonNode n) {
    if (!n.isTextual() || n.asText().isBlank()) {
      return null;
    }
    String s = n.asText().strip();
    return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
  }

  static Location location(JsonNode n) {
    if (n.isTextual()) {
      String t = text(n);
      return t == null ? null : new Location(null, null, t);
    }
    if (n.isObject() && n.path("lat").isNumber() && n.path("lon").isNumber()) {
      double lat = n.get("lat").asDouble();
      double lon = n.get("lon").asDouble();
      if (lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
        return new Location(lat, lon, text(n.path("name")));
      }
    }
    return null;
  }

  private List<HarvestedRecord> records(String key, JsonNode list, Instant now) {
    if (!list.isArray()) {
      return List.of();
    }
    List<HarvestedRecord> out = new ArrayList<>();
    for (JsonNode n : list) {
      if (out.size() == MAX_RECORDS) {
        break;
      }
      if (!n.isTextual()) {
        out.add(
            new HarvestedRecord(n.toString(), key, null, false, "malformed-note", "not a string"));
        continue;
      }
      out.add(check(n.asText(), key, now));
    }
    return out;
  }

  private HarvestedRecord check(String note, String key, Instant now) {
    try {
      SignedRecord r = rules.verify(note.getBytes(java.nio.charset.StandardCharsets.UTF_8), now);
      return new HarvestedRecord(note, key, r.record().name(), true, null, null);
    } catch (InvalidRecordException e) {
      return new HarvestedRecord(note, key, nameOf(note), false, e.reason().code(), e.detail());
    }
  }

  /** The name line of an invalid record, for the operator's benefit. */
  private static String nameOf(String note) {
    for (String line : note.split("\n", 4)) {
      if (line.startsWith("name ") && line.length() < 260) {
        return line.substring(5);
      }
    }
    return null;
  }
}
