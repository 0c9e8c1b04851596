package org.canopymesh.naming.record;

import static org.canopymesh.naming.record.InvalidRecordException.Reason.ADDRESS_MISMATCH;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.DUPLICATE_FIELD;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.MALFORMED_FIELD;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.MISSING_FIELD;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.UNKNOWN_FIELD;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.UNSUPPORTED_FORMAT;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.VerifyingKey;

/** Reads the text of a record note. Strict: one spelling per record, so one byte string. */
final class RecordBody {
  private static final Pattern LOWER_HEX_KEY = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,19}");

  /** The fields in the order a body must list them; SRV and TXT repeat. */
  private enum Field {
    NAME,
    KEY,
    ADDR,
    SEQ,
    ISSUED,
    EXPIRES,
    SRV,
    TXT;

    boolean repeats() {
      return this == SRV || this == TXT;
    }

    static Field of(String word) {
      for (Field f : values()) {
        if (f.name().toLowerCase(Locale.ROOT).equals(word)) {
          return f;
        }
      }
      return null;
    }
  }

  private String name;
  private VerifyingKey key;
  private String addr;
  private long seq;
  private Instant issued;
  private Instant expires;
  private final List<Service> services = new ArrayList<>();
  private final List<String> texts = new ArrayList<>();

  private RecordBody() {}

  static NameRecord parse(String text) {
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (!lines[0].equals(NameRecord.HEADER)) {
      throw new InvalidRecordException(
          UNSUPPORTED_FORMAT,
          "the first line must be " + NameRecord.HEADER + ", not \"" + shorten(lines[0]) + "\"");
    }
    RecordBody b = new RecordBody();
    Set<Field> seen = EnumSet.noneOf(Field.class);
    Field last = null;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        throw new InvalidRecordException(MALFORMED_FIELD, "line " + (i + 1) + " is empty");
      }
      int space = line.indexOf(' ');
      String word = space < 0 ? line : line.substring(0, space);
      Field f = Field.of(word);
      if (f == null) {
        throw new InvalidRecordException(
            UNKNOWN_FIELD, "line " + (i + 1) + ": \"" + shorten(word) + "\" is not a record field");
      }
      if (space < 0 || space == line.length() - 1) {
        throw new InvalidRecordException(
            MALFORMED_FIELD, "line " + (i + 1) + ": " + word + " has no value");
      }
      if (seen.contains(f) && !f.repeats()) {
        throw new InvalidRecordException(DUPLICATE_FIELD, "the field " + word + " appears twice");
      }
      if (last != null && f.compareTo(last) < 0) {
        throw new InvalidRecordException(
            MALFORMED_FIELD, "line " + (i + 1) + ": " + word + " must come before " + name(last));
      }
      seen.add(f);
      last = f;
      b.read(f, line.substring(space + 1));
    }
    for (Field f : EnumSet.range(Field.NAME, Field.EXPIRES)) {
      if (!seen.contains(f)) {
        throw new InvalidRecordException(MISSING_FIELD, "the record has no " + name(f) + " line");
      }
    }
    return b.build();
  }

  private void read(Field f, String value) {
    switch (f) {
      case NAME -> {
        DnsNames.checkCanonical(value);
        name = value;
      }
      case KEY -> {
        if (!LOWER_HEX_KEY.matcher(value).matches()) {
          throw new InvalidRecordException(MALFORMED_FIELD, "key must be 64 lower-case hex digits");
        }
        key = VerifyingKey.parseHex(value);
      }
      case ADDR -> addr = value;
      case SEQ -> seq = unsigned("seq", value);
      case ISSUED -> issued = Instant.ofEpochSecond(seconds("issued", value));
      case EXPIRES -> expires = Instant.ofEpochSecond(seconds("expires", value));
      case SRV -> {
        String[] w = value.split(" ", -1);
        if (w.length != 3) {
          throw new InvalidRecordException(
              MALFORMED_FIELD, "srv is \"srv <service> <proto> <port>\"");
        }
        services.add(Service.of(w[0], w[1], w[2]));
      }
      case TXT -> texts.add(value);
    }
  }

  private NameRecord build() {
    String derived = OverlayAddress.forKey(key).toString();
    if (!derived.equals(addr)) {
      throw new InvalidRecordException(
          ADDRESS_MISMATCH, "the key's address is " + derived + ", not " + shorten(addr));
    }
    return new NameRecord(name, key, seq, issued, expires, services, texts);
  }

  private static long unsigned(String field, String value) {
    if (!DECIMAL.matcher(value).matches()) {
      throw new InvalidRecordException(
          MALFORMED_FIELD, field + " must be a decimal number without leading zeros");
    }
    try {
      return Long.parseUnsignedLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidRecordException(MALFORMED_FIELD, field + " is larger than 2^64-1");
    }
  }

  private static long seconds(String field, String value) {
    long v = unsigned(field, value);
    // Instant's range ends in the year 1000000000; a sane record is far inside it.
    if (v < 0 || v > 253402300799L) {
      throw new InvalidRecordException(MALFORMED_FIELD, field + " is after the year 9999");
    }
    return v;
  }

  private static String name(Field f) {
    return f.name().toLowerCase(Locale.ROOT);
  }

  private static String shorten(String s) {
    return DnsNames.shorten(s);
  }
}
