package org.canopymesh.naming.record;

import static org.canopymesh.naming.record.InvalidRecordException.Reason.EXPIRES_BEFORE_ISSUED;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.LIFETIME_TOO_LONG;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.MALFORMED_FIELD;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.key.VerifyingKey;

/**
 * The content of a {@code canopy-record/v1} note: a name, the key that owns it, and what the name
 * points at. Its address is always the one derived from the key. Construction enforces every rule
 * that does not depend on the clock or the zone; {@link RecordRules} checks those.
 *
 * @param name canonical host name ({@link DnsNames})
 * @param key the owner's Ed25519 key
 * @param seq strictly increasing per key and name; compared unsigned
 * @param issued when the owner signed, whole seconds
 * @param expires when the record lapses, whole seconds, after {@code issued} and at most {@link
 *     #MAX_LIFETIME} later
 * @param services SRV targets, at most {@link #MAX_SERVICES}, no two alike
 * @param texts TXT strings of 1 to {@link #MAX_TEXT_BYTES} UTF-8 bytes, at most {@link #MAX_TEXTS}
 */
public record NameRecord(
    String name,
    VerifyingKey key,
    long seq,
    Instant issued,
    Instant expires,
    List<Service> services,
    List<String> texts) {

  public static final String HEADER = "canopy-record/v1";
  public static final Duration MAX_LIFETIME = Duration.ofDays(90);
  public static final int MAX_SERVICES = 16;
  public static final int MAX_TEXTS = 16;
  public static final int MAX_TEXT_BYTES = 255;

  public NameRecord {
    Objects.requireNonNull(key, "key");
    DnsNames.checkCanonical(name);
    checkSeconds("issued", issued);
    checkSeconds("expires", expires);
    if (!expires.isAfter(issued)) {
      throw new InvalidRecordException(
          EXPIRES_BEFORE_ISSUED, "expires " + expires + " is not after issued " + issued);
    }
    if (Duration.between(issued, expires).compareTo(MAX_LIFETIME) > 0) {
      throw new InvalidRecordException(
          LIFETIME_TOO_LONG,
          "a record may live at most 90 days; this one lives "
              + Duration.between(issued, expires).toDays()
              + " days");
    }
    services = List.copyOf(services);
    texts = List.copyOf(texts);
    checkServices(services);
    checkTexts(texts);
  }

  private static void checkSeconds(String field, Instant t) {
    if (t.getNano() != 0 || t.getEpochSecond() < 0) {
      throw new InvalidRecordException(
          MALFORMED_FIELD, field + " must be whole non-negative unix seconds");
    }
  }

  private static void checkServices(List<Service> services) {
    if (services.size() > MAX_SERVICES) {
      throw new InvalidRecordException(
          MALFORMED_FIELD, "at most " + MAX_SERVICES + " srv lines, not " + services.size());
    }
    if (new HashSet<>(services).size() != services.size()) {
      throw new InvalidRecordException(
          InvalidRecordException.Reason.DUPLICATE_FIELD, "the same srv line appears twice");
    }
  }

  private static void checkTexts(List<String> texts) {
    if (texts.size() > MAX_TEXTS) {
      throw new InvalidRecordException(
          MALFORMED_FIELD, "at most " + MAX_TEXTS + " txt lines, not " + texts.size());
    }
    for (String t : texts) {
      int bytes = t.getBytes(StandardCharsets.UTF_8).length;
      if (bytes == 0 || bytes > MAX_TEXT_BYTES) {
        throw new InvalidRecordException(
            MALFORMED_FIELD, "a txt line holds 1 to " + MAX_TEXT_BYTES + " bytes, not " + bytes);
      }
      if (t.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || !t.strip().equals(t)) {
        throw new InvalidRecordException(
            MALFORMED_FIELD, "a txt line may not hold control characters or edge spaces");
      }
    }
  }

  /** The node address of {@link #key()}. */
  public OverlayAddress address() {
    return OverlayAddress.forKey(key);
  }

  /** The note text that is signed: one field a line, in the fixed order. */
  public String body() {
    StringBuilder sb = new StringBuilder(256);
    sb.append(HEADER).append('\n');
    sb.append("name ").append(name).append('\n');
    sb.append("key ").append(key.toHex()).append('\n');
    sb.append("addr ").append(address()).append('\n');
    sb.append("seq ").append(Long.toUnsignedString(seq)).append('\n');
    sb.append("issued ").append(issued.getEpochSecond()).append('\n');
    sb.append("expires ").append(expires.getEpochSecond()).append('\n');
    for (Service s : services) {
      sb.append(s.line()).append('\n');
    }
    for (String t : texts) {
      sb.append("txt ").append(t).append('\n');
    }
    return sb.toString();
  }

  /** Whether {@code other} replaces this record: the same key and name, a higher seq. */
  public boolean isRenewedBy(NameRecord other) {
    return key.equals(other.key)
        && name.equals(other.name)
        && Long.compareUnsigned(other.seq, seq) > 0;
  }

  /** Signs this record with its owner's key. */
  public SignedRecord sign(SigningKey owner) {
    return SignedRecord.sign(this, owner);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a record from what an operator gives; the name is normalised on the way in. */
  public static final class Builder {
    private String name;
    private VerifyingKey key;
    private long seq;
    private Instant issued;
    private Instant expires;
    private final List<Service> services = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();

    private Builder() {}

    /** Any spelling a person might type; see {@link DnsNames#normalize}. */
    public Builder name(String name) {
      this.name = DnsNames.normalize(name);
      return this;
    }

    public Builder key(VerifyingKey key) {
      this.key = key;
      return this;
    }

    public Builder seq(long seq) {
      this.seq = seq;
      return this;
    }

    /** Issued at {@code issued} (truncated to seconds), expiring {@code ttl} later. */
    public Builder validity(Instant issued, Duration ttl) {
      this.issued = Instant.ofEpochSecond(issued.getEpochSecond());
      this.expires = this.issued.plus(ttl);
      return this;
    }

    public Builder service(Service service) {
      services.add(service);
      return this;
    }

    public Builder text(String text) {
      texts.add(text);
      return this;
    }

    public NameRecord build() {
      if (name == null || key == null || issued == null) {
        throw new IllegalStateException("a record needs a name, a key and a validity");
      }
      return new NameRecord(name, key, seq, issued, expires, services, texts);
    }
  }
}
