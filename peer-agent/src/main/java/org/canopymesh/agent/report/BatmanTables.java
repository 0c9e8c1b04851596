package org.canopymesh.agent.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.canopymesh.naming.report.InvalidReportException;
import org.canopymesh.naming.report.MacAddress;

/**
 * Reads the text tables of {@code batctl neighbors} and {@code batctl originators}, for both
 * routing algorithms and both the netlink layout (batctl 2017+, one row per originator and next
 * hop, {@code *} on the best) and the older debugfs layout (one row per originator, the other next
 * hops after a colon). Rows are matched whole, column by column, so a changed format or garbage is
 * skipped and counted, never half read; headers (with {@code -H} there are none) are skipped
 * without counting. Real outputs these were checked with are in {@code
 * src/test/resources/report/batman}.
 */
final class BatmanTables {
  /** More rows than a 256 KiB output can hold; a bound for hostile input all the same. */
  static final int MAX_ROWS = 8192;

  private static final String MAC = "([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})";
  private static final String SEEN = "(\\d{1,9})\\.(\\d{3})s";
  private static final String IFACE = "\\[\\s*(\\S{1,32})\\]";
  private static final String THROUGHPUT = "\\(\\s*(\\d{1,10})\\.(\\d)\\)";

  // printf("   %10s\t  %s %4i.%03is\n", ifname, neigh, secs, msecs)
  private static final Pattern NEIGHBOUR_IV =
      Pattern.compile("\\s*(\\S{1,32})\\s+" + MAC + "\\s+" + SEEN + "\\s*");
  // printf("%s %4i.%03is (%9u.%1u) [%10s]\n", neigh, ..., mbits, kbits / 100, ifname)
  private static final Pattern NEIGHBOUR_V =
      Pattern.compile("\\s*" + MAC + "\\s+" + SEEN + "\\s+" + THROUGHPUT + "\\s+" + IFACE + "\\s*");
  // printf(" %c %s %4i.%03is   (%3i) %s [%10s]\n", best, orig, ..., tq, neigh, ifname),
  // and the debugfs layout's "...(%3i) %s [%10s]: %s (%3i) %s (%3i)..." without the best mark.
  private static final Pattern ORIGINATOR_IV =
      Pattern.compile(
          "\\s*(\\*)?\\s*"
              + MAC
              + "\\s+"
              + SEEN
              + "\\s+\\(\\s*(\\d{1,3})\\)\\s+"
              + MAC
              + "\\s+"
              + IFACE
              + "(?::(.*))?\\s*");
  private static final Pattern ORIGINATOR_V =
      Pattern.compile(
          "\\s*(\\*)?\\s*"
              + MAC
              + "\\s+"
              + SEEN
              + "\\s+"
              + THROUGHPUT
              + "\\s+"
              + MAC
              + "\\s+"
              + IFACE
              + "\\s*");
  private static final Pattern POTENTIAL = Pattern.compile(MAC + " \\(\\s*(\\d{1,3})\\)");

  private BatmanTables() {}

  static Parsed<BatmanNeighbour> neighbours(String output) {
    List<BatmanNeighbour> rows = new ArrayList<>();
    int skipped = 0;
    for (String line : output.split("\n", -1)) {
      if (isBlankOrHeader(line)) {
        continue;
      }
      BatmanNeighbour row = rows.size() < MAX_ROWS ? neighbour(line) : null;
      if (row == null) {
        skipped++;
      } else {
        rows.add(row);
      }
    }
    return new Parsed<>(rows, skipped);
  }

  private static BatmanNeighbour neighbour(String line) {
    try {
      Matcher v = NEIGHBOUR_V.matcher(line);
      if (v.matches()) {
        return new BatmanNeighbour(
            mac(v.group(1)),
            v.group(6),
            seen(v.group(2), v.group(3)),
            OptionalDouble.of(mbps(v.group(4), v.group(5))));
      }
      Matcher iv = NEIGHBOUR_IV.matcher(line);
      if (iv.matches()) {
        return new BatmanNeighbour(
            mac(iv.group(2)), iv.group(1), seen(iv.group(3), iv.group(4)), OptionalDouble.empty());
      }
    } catch (InvalidReportException e) {
      // A group or all-zero address: not a neighbour.
    }
    return null;
  }

  static Parsed<BatmanOriginator> originators(String output) {
    // Keyed by originator and next hop: the debugfs layout names a route twice, as the best next
    // hop and again among the potential ones.
    Map<String, BatmanOriginator> rows = new LinkedHashMap<>();
    int skipped = 0;
    for (String line : output.split("\n", -1)) {
      if (isBlankOrHeader(line)) {
        continue;
      }
      List<BatmanOriginator> found = rows.size() < MAX_ROWS ? originator(line) : List.of();
      if (found.isEmpty()) {
        skipped++;
      }
      for (BatmanOriginator o : found) {
        rows.merge(o.originator() + " " + o.nexthop(), o, (a, b) -> a.best() ? a : b);
      }
    }
    return new Parsed<>(new ArrayList<>(rows.values()), skipped);
  }

  private static List<BatmanOriginator> originator(String line) {
    try {
      Matcher v = ORIGINATOR_V.matcher(line);
      if (v.matches()) {
        return List.of(
            new BatmanOriginator(
                mac(v.group(2)),
                mac(v.group(7)),
                v.group(8),
                seen(v.group(3), v.group(4)),
                v.group(1) != null,
                OptionalInt.empty(),
                OptionalDouble.of(mbps(v.group(5), v.group(6)))));
      }
      Matcher iv = ORIGINATOR_IV.matcher(line);
      if (iv.matches() && Integer.parseInt(iv.group(5)) <= 255) {
        return ivRows(iv);
      }
    } catch (InvalidReportException e) {
      // A group or all-zero address: not a route.
    }
    return List.of();
  }

  private static List<BatmanOriginator> ivRows(Matcher m) {
    MacAddress orig = mac(m.group(2));
    MacAddress router = mac(m.group(6));
    Duration seen = seen(m.group(3), m.group(4));
    String potentials = m.group(8);
    // In the debugfs layout the row names the route in use; netlink marks it with '*'.
    boolean best = m.group(1) != null || potentials != null;
    List<BatmanOriginator> out = new ArrayList<>();
    out.add(
        new BatmanOriginator(
            orig,
            router,
            m.group(7),
            seen,
            best,
            OptionalInt.of(Integer.parseInt(m.group(5))),
            OptionalDouble.empty()));
    if (potentials != null) {
      Matcher p = POTENTIAL.matcher(potentials);
      while (p.find()) {
        int tq = Integer.parseInt(p.group(2));
        MacAddress nexthop = mac(p.group(1));
        if (tq <= 255 && !nexthop.equals(router)) {
          out.add(
              new BatmanOriginator(
                  orig, nexthop, "", seen, false, OptionalInt.of(tq), OptionalDouble.empty()));
        }
      }
    }
    return out;
  }

  private static boolean isBlankOrHeader(String line) {
    String t = line.strip();
    return t.isEmpty() || t.startsWith("[B.A.T.M.A.N.") || t.contains("last-seen");
  }

  private static MacAddress mac(String text) {
    return MacAddress.parseAnyCase(text);
  }

  private static Duration seen(String secs, String millis) {
    return Duration.ofSeconds(Long.parseLong(secs)).plusMillis(Integer.parseInt(millis));
  }

  /** batctl prints kbit/s as {@code mbit.(kbit % 1000 / 100)}. */
  private static double mbps(String whole, String tenth) {
    return Long.parseLong(whole) + Integer.parseInt(tenth) / 10.0;
  }
}
