package org.canopymesh.naming.report;

import static org.canopymesh.naming.report.InvalidReportException.Reason.ADDRESS_MISMATCH;
import static org.canopymesh.naming.report.InvalidReportException.Reason.DUPLICATE_FIELD;
import static org.canopymesh.naming.report.InvalidReportException.Reason.MALFORMED_FIELD;
import static org.canopymesh.naming.report.InvalidReportException.Reason.MISSING_FIELD;
import static org.canopymesh.naming.report.InvalidReportException.Reason.TOO_MANY_LINES;
import static org.canopymesh.naming.report.InvalidReportException.Reason.UNSUPPORTED_FORMAT;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.VerifyingKey;

/**
 * Reads the text of a report note. Strict about the fields it knows (one spelling, fixed order,
 * bounded counts); lines of other types are skipped, as DESIGN.md asks, so that the format can grow
 * without breaking older readers.
 */
final class ReportBody {
  private static final Pattern LOWER_HEX_KEY = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,19}");

  /** What a line type of a later version may look like; anything else is malformed. */
  private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  /** Instant's range ends in the year 1000000000; a sane report is far inside it. */
  private static final long MAX_SECONDS = 253402300799L;

  /** The known fields in the order a body lists them; the last three repeat. */
  private enum Field {
    KEY,
    ADDR,
    SEQ,
    TIME,
    LOCATION,
    ISLAND,
    PEER,
    L2,
    MAC;

    boolean repeats() {
      return this == PEER || this == L2 || this == MAC;
    }

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Field of(String word) {
      for (Field f : values()) {
        if (f.word().equals(word)) {
          return f;
        }
      }
      return null;
    }
  }

  private VerifyingKey key;
  private String addr;
  private long seq;
  private Instant time;
  private Optional<Location> location = Optional.empty();
  private Optional<String> island = Optional.empty();
  private final List<PeerLink> peers = new ArrayList<>();
  private final List<L2Neighbour> neighbours = new ArrayList<>();
  private final List<MacAddress> macs = new ArrayList<>();

  private ReportBody() {}

  static ReportNote parse(String text) {
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (!lines[0].equals(ReportNote.HEADER)) {
      throw new InvalidReportException(
          UNSUPPORTED_FORMAT,
          "the first line must be " + ReportNote.HEADER + ", not \"" + shorten(lines[0]) + "\"");
    }
    ReportBody b = new ReportBody();
    Set<Field> seen = EnumSet.noneOf(Field.class);
    Field last = null;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int space = line.indexOf(' ');
      String word = space < 0 ? line : line.substring(0, space);
      if (!WORD.matcher(word).matches()) {
        throw new InvalidReportException(
            MALFORMED_FIELD, "line " + (i + 1) + " does not start with a field name");
      }
      Field f = Field.of(word);
      if (f == null) {
        continue; // a line type from a later version of the format
      }
      if (space < 0 || space == line.length() - 1) {
        throw new InvalidReportException(
            MALFORMED_FIELD, "line " + (i + 1) + ": " + word + " has no value");
      }
      if (seen.contains(f) && !f.repeats()) {
        throw new InvalidReportException(DUPLICATE_FIELD, "the field " + word + " appears twice");
      }
      if (last != null && f.compareTo(last) < 0) {
        throw new InvalidReportException(
            MALFORMED_FIELD, "line " + (i + 1) + ": " + word + " must come before " + last.word());
      }
      seen.add(f);
      last = f;
      b.read(f, line.substring(space + 1));
    }
    for (Field f : EnumSet.range(Field.KEY, Field.TIME)) {
      if (!seen.contains(f)) {
        throw new InvalidReportException(MISSING_FIELD, "the report has no " + f.word() + " line");
      }
    }
    return b.build();
  }

  private void read(Field f, String value) {
    switch (f) {
      case KEY -> {
        if (!LOWER_HEX_KEY.matcher(value).matches()) {
          throw new InvalidReportException(MALFORMED_FIELD, "key must be 64 lower-case hex digits");
        }
        key = VerifyingKey.parseHex(value);
      }
      case ADDR -> addr = value;
      case SEQ -> seq = unsigned("seq", value);
      case TIME -> time = Instant.ofEpochSecond(seconds(value));
      case LOCATION -> location = Optional.of(Location.parse(value));
      case ISLAND -> island = Optional.of(value);
      case PEER -> add(peers, PeerLink.parse(value), ReportNote.MAX_PEERS, f);
      case L2 -> add(neighbours, L2Neighbour.parse(value), ReportNote.MAX_NEIGHBOURS, f);
      case MAC -> add(macs, MacAddress.parse(value), ReportNote.MAX_MACS, f);
    }
  }

  /** Counted as they are read, so a hostile report stops at the first line over the bound. */
  private static <T> void add(List<T> list, T item, int max, Field f) {
    if (list.size() == max) {
      throw new InvalidReportException(
          TOO_MANY_LINES, "at most " + max + " " + f.word() + " lines");
    }
    list.add(item);
  }

  private ReportNote build() {
    String derived = OverlayAddress.forKey(key).toString();
    if (!derived.equals(addr)) {
      throw new InvalidReportException(
          ADDRESS_MISMATCH, "the key's address is " + derived + ", not " + shorten(addr));
    }
    return new ReportNote(key, seq, time, location, island, peers, neighbours, macs);
  }

  private static long unsigned(String field, String value) {
    if (!DECIMAL.matcher(value).matches()) {
      throw new InvalidReportException(
          MALFORMED_FIELD, field + " must be a decimal number without leading zeros");
    }
    try {
      return Long.parseUnsignedLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidReportException(MALFORMED_FIELD, field + " is larger than 2^64-1");
    }
  }

  private static long seconds(String value) {
    long v = unsigned("time", value);
    if (v < 0 || v > MAX_SECONDS) {
      throw new InvalidReportException(MALFORMED_FIELD, "time is after the year 9999");
    }
    return v;
  }

  private static String shorten(String s) {
    return MacAddress.shorten(s);
  }
}
