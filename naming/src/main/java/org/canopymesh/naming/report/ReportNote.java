package org.canopymesh.naming.report;

import static org.canopymesh.naming.report.InvalidReportException.Reason.DUPLICATE_FIELD;
import static org.canopymesh.naming.report.InvalidReportException.Reason.MALFORMED_FIELD;
import static org.canopymesh.naming.report.InvalidReportException.Reason.TOO_LARGE;
import static org.canopymesh.naming.report.InvalidReportException.Reason.TOO_MANY_LINES;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.key.VerifyingKey;

/**
 * The content of a {@code canopy-report/v1} note: what one node sees of its neighbours at one
 * moment. Its address is always the one derived from the key. Construction enforces every rule of
 * the format, including the bounds, so a report that exists can be signed and sent.
 *
 * <p>The body has one spelling: one field a line in the fixed order {@code key}, {@code addr},
 * {@code seq}, {@code time}, then the optional {@code location} and {@code island}, then every
 * {@code peer}, every {@code l2} and every {@code mac} line, each group in the order given.
 *
 * @param key the reporting node's key, which signs the report
 * @param seq strictly increasing per key (compared unsigned); receivers drop replays and reordering
 * @param time when the node looked, whole unix seconds
 * @param location where the node says it is, if it publishes a location
 * @param island the neighbourhood the node says it belongs to: 1 to {@value #MAX_ISLAND_LENGTH}
 *     characters, no control characters, no spaces at either end
 * @param peers its Yggdrasil peerings, at most {@value #MAX_PEERS}
 * @param neighbours its batman-adv and 802.11s neighbours, at most {@value #MAX_NEIGHBOURS}, one
 *     line per address and protocol
 * @param macs the addresses of its own mesh interfaces, at most {@value #MAX_MACS}, distinct
 */
public record ReportNote(
    VerifyingKey key,
    long seq,
    Instant time,
    Optional<Location> location,
    Optional<String> island,
    List<PeerLink> peers,
    List<L2Neighbour> neighbours,
    List<MacAddress> macs) {

  public static final String HEADER = "canopy-report/v1";
  public static final int MAX_PEERS = 256;
  public static final int MAX_NEIGHBOURS = 256;
  public static final int MAX_MACS = 16;
  public static final int MAX_ISLAND_LENGTH = 64;

  /** The largest latency a line holds: about 2.8 hours, far beyond any round trip. */
  public static final Duration MAX_LATENCY = Duration.ofMillis(10_000_000);

  /** The whole signed note, in UTF-8 bytes. */
  public static final int MAX_BYTES = 64 * 1024;

  /** The body; the rest is room for the blank line and the node's signature line. */
  public static final int MAX_BODY_BYTES = MAX_BYTES - 256;

  public ReportNote {
    Objects.requireNonNull(key, "key");
    if (time.getNano() != 0 || time.getEpochSecond() < 0) {
      throw new InvalidReportException(MALFORMED_FIELD, "time must be whole unix seconds");
    }
    island.ifPresent(ReportNote::checkIsland);
    peers = List.copyOf(peers);
    neighbours = List.copyOf(neighbours);
    macs = List.copyOf(macs);
    checkCount("peer", peers.size(), MAX_PEERS);
    checkCount("l2", neighbours.size(), MAX_NEIGHBOURS);
    checkCount("mac", macs.size(), MAX_MACS);
    checkDistinct(peers, neighbours, macs);
    int size = size(key, seq, time, location, island, peers, neighbours, macs);
    if (size > MAX_BODY_BYTES) {
      throw new InvalidReportException(
          TOO_LARGE, "the report body is " + size + " bytes; at most " + MAX_BODY_BYTES);
    }
  }

  /**
   * The report with as many of the given lines as the bounds allow: each list is cut to its maximum
   * count, then {@code peer} lines and after them {@code l2} lines are dropped from the end until
   * the body fits. Callers put the lines they care most about first.
   */
  public static ReportNote fitting(
      VerifyingKey key,
      long seq,
      Instant time,
      Optional<Location> location,
      Optional<String> island,
      List<PeerLink> peers,
      List<L2Neighbour> neighbours,
      List<MacAddress> macs) {
    List<PeerLink> p = new ArrayList<>(peers.subList(0, Math.min(peers.size(), MAX_PEERS)));
    List<L2Neighbour> n =
        new ArrayList<>(neighbours.subList(0, Math.min(neighbours.size(), MAX_NEIGHBOURS)));
    List<MacAddress> m = macs.subList(0, Math.min(macs.size(), MAX_MACS));
    int size = size(key, seq, time, location, island, p, n, m);
    while (size > MAX_BODY_BYTES && !p.isEmpty()) {
      size -= utf8Length(p.remove(p.size() - 1).line()) + 1;
    }
    while (size > MAX_BODY_BYTES) {
      // The header and 16 mac lines alone are far below the limit.
      size -= utf8Length(n.remove(n.size() - 1).line()) + 1;
    }
    return new ReportNote(key, seq, time, location, island, p, n, m);
  }

  /** Whether {@code island} may be reported: 1 to 64 characters, printable, no edge spaces. */
  public static boolean isValidIsland(String island) {
    return !island.isEmpty()
        && island.length() <= MAX_ISLAND_LENGTH
        && island.strip().equals(island)
        && island.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
  }

  private static void checkIsland(String island) {
    if (!isValidIsland(island)) {
      throw new InvalidReportException(
          MALFORMED_FIELD,
          "an island is 1 to "
              + MAX_ISLAND_LENGTH
              + " characters without control characters or edge spaces");
    }
  }

  private static void checkCount(String word, int count, int max) {
    if (count > max) {
      throw new InvalidReportException(
          TOO_MANY_LINES, "at most " + max + " " + word + " lines, not " + count);
    }
  }

  private static void checkDistinct(
      List<PeerLink> peers, List<L2Neighbour> neighbours, List<MacAddress> macs) {
    if (new HashSet<>(peers).size() != peers.size()) {
      throw new InvalidReportException(DUPLICATE_FIELD, "the same peer line appears twice");
    }
    Set<String> seen = new HashSet<>();
    for (L2Neighbour n : neighbours) {
      if (!seen.add(n.mac() + " " + n.protocol())) {
        throw new InvalidReportException(
            DUPLICATE_FIELD,
            "l2 neighbour " + n.mac() + " appears twice for " + n.protocol().word());
      }
    }
    if (new HashSet<>(macs).size() != macs.size()) {
      throw new InvalidReportException(DUPLICATE_FIELD, "the same mac line appears twice");
    }
  }

  /** The node address of {@link #key()}; the signature's key name. */
  public OverlayAddress address() {
    return OverlayAddress.forKey(key);
  }

  /** The note text that is signed. */
  public String body() {
    return body(key, seq, time, location, island, peers, neighbours, macs);
  }

  /** Signs this report with the node key, under the node's address as the key name. */
  public SignedReport sign(SigningKey nodeKey) {
    return SignedReport.sign(this, nodeKey);
  }

  /** Whether {@code other} is a later report by the same node: the same key, a higher seq. */
  public boolean isFollowedBy(ReportNote other) {
    return key.equals(other.key) && Long.compareUnsigned(other.seq, seq) > 0;
  }

  private static int size(
      VerifyingKey key,
      long seq,
      Instant time,
      Optional<Location> location,
      Optional<String> island,
      List<PeerLink> peers,
      List<L2Neighbour> neighbours,
      List<MacAddress> macs) {
    return utf8Length(body(key, seq, time, location, island, peers, neighbours, macs));
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String body(
      VerifyingKey key,
      long seq,
      Instant time,
      Optional<Location> location,
      Optional<String> island,
      List<PeerLink> peers,
      List<L2Neighbour> neighbours,
      List<MacAddress> macs) {
    StringBuilder sb = new StringBuilder(256 + 200 * peers.size() + 48 * neighbours.size());
    sb.append(HEADER).append('\n');
    sb.append("key ").append(key.toHex()).append('\n');
    sb.append("addr ").append(OverlayAddress.forKey(key)).append('\n');
    sb.append("seq ").append(Long.toUnsignedString(seq)).append('\n');
    sb.append("time ").append(time.getEpochSecond()).append('\n');
    location.ifPresent(l -> sb.append("location ").append(l.line()).append('\n'));
    island.ifPresent(i -> sb.append("island ").append(i).append('\n'));
    peers.forEach(p -> sb.append(p.line()).append('\n'));
    neighbours.forEach(n -> sb.append(n.line()).append('\n'));
    macs.forEach(m -> sb.append("mac ").append(m).append('\n'));
    return sb.toString();
  }
}
