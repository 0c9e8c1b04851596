package org.canopymesh.naming.record;

import static org.canopymesh.naming.record.InvalidRecordException.Reason.EXPIRED;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.ISSUED_IN_FUTURE;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.NAME_OUTSIDE_ZONE;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The rules of a deployment: which zones names live in and how much clock skew is forgiven. A
 * record is valid at {@code now} when it parses ({@link SignedRecord#parse}), its name is below one
 * of the zones, it is not issued after {@code now + clockSkew}, and it has not expired.
 *
 * @param zones canonical zone names; records must be strictly below one
 * @param clockSkew how far in the future {@code issued} may be
 */
public record RecordRules(List<String> zones, Duration clockSkew) {
  public static final String DEFAULT_ZONE = "mesh.alt";
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);
  public static final RecordRules DEFAULT =
      new RecordRules(List.of(DEFAULT_ZONE), DEFAULT_CLOCK_SKEW);

  public RecordRules {
    if (zones.isEmpty()) {
      throw new IllegalArgumentException("at least one zone is needed");
    }
    zones = zones.stream().map(DnsNames::normalize).toList();
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("clock skew may not be negative");
    }
  }

  /** The default rules with other zones. */
  public static RecordRules forZones(List<String> zones) {
    return new RecordRules(zones, DEFAULT_CLOCK_SKEW);
  }

  /**
   * Parses and fully validates an encoded record at {@code now}.
   *
   * @throws InvalidRecordException naming the first rule it breaks
   */
  public SignedRecord verify(byte[] encoded, Instant now) {
    SignedRecord r = SignedRecord.parse(encoded);
    check(r.record(), now);
    return r;
  }

  /** Checks the zone and time rules of an already parsed record. */
  public void check(NameRecord r, Instant now) {
    checkZone(r.name());
    if (r.issued().isAfter(now.plus(clockSkew))) {
      throw new InvalidRecordException(
          ISSUED_IN_FUTURE, "issued " + r.issued() + " is after now (" + now + ")");
    }
    if (!now.isBefore(r.expires())) {
      throw new InvalidRecordException(EXPIRED, "the record expired at " + r.expires());
    }
  }

  /** Throws unless {@code name} is below one of the zones. */
  public void checkZone(String name) {
    if (!isInZone(name)) {
      throw new InvalidRecordException(
          NAME_OUTSIDE_ZONE, name + " is not below " + String.join(" or ", zones));
    }
  }

  public boolean isInZone(String name) {
    return zones.stream().anyMatch(z -> DnsNames.isBelow(name, z));
  }

  /**
   * Validates many encoded records on all cores; the result at index {@code i} is that of {@code
   * encoded.get(i)}.
   */
  public List<RecordCheck> verifyAll(List<byte[]> encoded, Instant now) {
    return IntStream.range(0, encoded.size())
        .parallel()
        .mapToObj(i -> check(encoded.get(i), now))
        .toList();
  }

  private RecordCheck check(byte[] encoded, Instant now) {
    try {
      return new RecordCheck.Valid(verify(encoded, now));
    } catch (InvalidRecordException e) {
      return new RecordCheck.Invalid(e);
    }
  }
}
