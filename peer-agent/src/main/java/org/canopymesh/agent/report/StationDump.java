package org.canopymesh.agent.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.canopymesh.naming.report.InvalidReportException;
import org.canopymesh.naming.report.MacAddress;

/**
 * Reads {@code iw dev IFACE station dump}: a {@code Station <mac> (on <iface>)} line, then indented
 * {@code name:<tabs>value} lines until the next station. Fields may come in any order (newer iw
 * prints the mesh fields first) and tabs may have become spaces; unknown fields are ignored, a
 * field whose value does not read is left empty, and lines outside a station are skipped and
 * counted. Real outputs are in {@code src/test/resources/report/iw}.
 */
final class StationDump {
  /** A radio has a few dozen stations at most. */
  static final int MAX_STATIONS = 1024;

  private static final Pattern STATION =
      Pattern.compile("Station ([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}) \\(on (\\S{1,32})\\)\\s*");
  private static final Pattern MILLIS = Pattern.compile("(\\d{1,10}) ms");
  // "%d %sdBm" where %s is empty or the chain signals "[-54, -56] "
  private static final Pattern DBM = Pattern.compile("(-?\\d{1,4}) (?:\\[[-0-9, ]{0,64}\\] )?dBm");
  private static final Pattern BITRATE = Pattern.compile("(\\d{1,7})\\.(\\d) MBit/s.*");
  // "%u.%uMbps" of (thr / 1000, thr % 1000): the part after the point is thousandths, unpadded.
  private static final Pattern EXPECTED = Pattern.compile("(\\d{1,7})\\.(\\d{1,3})Mbps");
  private static final Pattern STATE = Pattern.compile("[A-Z_]{1,16}");
  private static final Pattern NUMBER = Pattern.compile("\\d{1,10}");

  private StationDump() {}

  static Parsed<MeshStation> parse(String output) {
    List<MeshStation> rows = new ArrayList<>();
    Builder current = null;
    int skipped = 0;
    for (String line : output.split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      Matcher station = STATION.matcher(line);
      if (station.matches()) {
        add(rows, current);
        current = rows.size() < MAX_STATIONS ? Builder.of(station) : null;
        if (current == null) {
          skipped++;
        }
      } else if (current != null
          && Character.isWhitespace(line.charAt(0))
          && line.indexOf(':') > 0) {
        int colon = line.indexOf(':');
        current.field(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      } else {
        skipped++;
      }
    }
    add(rows, current);
    return new Parsed<>(rows, skipped);
  }

  private static void add(List<MeshStation> rows, Builder b) {
    if (b != null && b.mac != null) {
      rows.add(b.build());
    }
  }

  /** The fields of one station as they are read. */
  private static final class Builder {
    MacAddress mac;
    String iface;
    Optional<Duration> inactive = Optional.empty();
    OptionalInt signal = OptionalInt.empty();
    OptionalInt signalAvg = OptionalInt.empty();
    OptionalDouble tx = OptionalDouble.empty();
    OptionalDouble rx = OptionalDouble.empty();
    OptionalDouble expected = OptionalDouble.empty();
    Optional<String> plink = Optional.empty();
    OptionalInt metric = OptionalInt.empty();

    static Builder of(Matcher station) {
      Builder b = new Builder();
      try {
        b.mac = MacAddress.parseAnyCase(station.group(1));
      } catch (InvalidReportException e) {
        b.mac = null; // a group address is no station; its fields are read and dropped
      }
      b.iface = station.group(2);
      return b;
    }

    void field(String name, String value) {
      switch (name) {
        case "inactive time" ->
            inactive = match(MILLIS, value).map(m -> Duration.ofMillis(Long.parseLong(m.group(1))));
        case "signal" -> signal = dbm(value);
        case "signal avg" -> signalAvg = dbm(value);
        case "tx bitrate" -> tx = bitrate(value);
        case "rx bitrate" -> rx = bitrate(value);
        case "expected throughput" -> expected = expected(value);
        case "mesh plink" -> plink = match(STATE, value).map(m -> value);
        case "mesh airtime link metric" ->
            metric =
                match(NUMBER, value)
                    .map(
                        m ->
                            OptionalInt.of(
                                (int) Math.min(Integer.MAX_VALUE, Long.parseLong(value))))
                    .orElse(OptionalInt.empty());
        default -> {
          // Counters, flags and times a report does not use.
        }
      }
    }

    MeshStation build() {
      return new MeshStation(
          mac, iface, inactive, signal, signalAvg, tx, rx, expected, plink, metric);
    }

    private static Optional<Matcher> match(Pattern p, String value) {
      Matcher m = p.matcher(value);
      return m.matches() ? Optional.of(m) : Optional.empty();
    }

    /** iw prints the driver's signed byte; anything outside it is not a reading. */
    private static OptionalInt dbm(String value) {
      return match(DBM, value)
          .map(m -> Integer.parseInt(m.group(1)))
          .filter(v -> v >= -128 && v <= 127)
          .map(OptionalInt::of)
          .orElse(OptionalInt.empty());
    }

    private static OptionalDouble bitrate(String value) {
      return match(BITRATE, value)
          .map(
              m ->
                  OptionalDouble.of(
                      Long.parseLong(m.group(1)) + Integer.parseInt(m.group(2)) / 10.0))
          .orElse(OptionalDouble.empty());
    }

    private static OptionalDouble expected(String value) {
      return match(EXPECTED, value)
          .map(
              m ->
                  OptionalDouble.of(
                      Long.parseLong(m.group(1)) + Integer.parseInt(m.group(2)) / 1000.0))
          .orElse(OptionalDouble.empty());
    }
  }
}
