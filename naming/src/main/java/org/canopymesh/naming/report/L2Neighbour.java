package org.canopymesh.naming.report;

import static org.canopymesh.naming.report.InvalidReportException.Reason.MALFORMED_FIELD;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A layer-2 mesh neighbour of the reporting node: an {@code l2} line. The map matches it to a node
 * through the {@code mac} lines of other reports.
 *
 * @param mac the neighbour's interface address as the mesh sees it
 * @param protocol batman-adv or 802.11s
 * @param quality link quality from 0 (unusable) to 1 (perfect), rounded to three decimals
 * @param latency the round trip if one was measured, in whole microseconds (truncated)
 */
public record L2Neighbour(
    MacAddress mac, L2Protocol protocol, double quality, Optional<Duration> latency) {
  static final String WORD = "l2";
  private static final int SCALE = 3;

  public L2Neighbour {
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(protocol, "protocol");
    if (!(quality >= 0 && quality <= 1)) {
      throw new InvalidReportException(MALFORMED_FIELD, "link quality is 0 to 1, not " + quality);
    }
    quality = Math.round(quality * 1000) / 1000.0;
    latency = Latencies.check("l2", latency);
  }

  String line() {
    return WORD
        + " "
        + mac
        + " "
        + protocol.word()
        + " "
        + Decimals.format(Math.round(quality * 1000), SCALE)
        + " "
        + Latencies.format(latency);
  }

  static L2Neighbour parse(String value) {
    String[] w = value.split(" ", -1);
    if (w.length != 4) {
      throw new InvalidReportException(
          MALFORMED_FIELD, "l2 is \"l2 <mac> <batman|80211s> <quality 0..1> <latency ms|->\"");
    }
    L2Protocol protocol = L2Protocol.ofWord(w[1]);
    if (protocol == null) {
      throw new InvalidReportException(
          MALFORMED_FIELD, "an l2 neighbour is batman or 80211s, not \"" + shorten(w[1]) + "\"");
    }
    long permille = Decimals.parse("quality", w[2], SCALE, 0, 1000);
    return new L2Neighbour(
        MacAddress.parse(w[0]), protocol, permille / 1000.0, Latencies.parse("l2", w[3]));
  }

  private static String shorten(String s) {
    return MacAddress.shorten(s);
  }
}
