package org.canopymesh.agent.report;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Link quality from 0 to 1 for the {@code l2} lines, from what each mesh measures:
 *
 * <ul>
 *   <li>B.A.T.M.A.N. IV: the transmit quality (TQ, 0..255) of the neighbour as an originator, over
 *       itself as next hop, divided by 255. That entry is the link's own TQ. Without it (a
 *       neighbour whose own messages have not been counted yet), the best TQ of any route through
 *       it: TQ only falls along a path, so that is a lower bound.
 *   <li>B.A.T.M.A.N. V and, failing a signal, 802.11s: the throughput on a log scale, {@code
 *       log10(Mbit/s) / 3} clamped to 0..1: 1 Mbit/s is 0, 10 is 1/3, 100 is 2/3, 1 Gbit/s and more
 *       is 1. Throughputs span orders of magnitude, and a link of 1 Mbit/s is barely usable.
 *   <li>802.11s: the averaged signal (else the last signal) mapped linearly from -110 dBm (0) to
 *       -40 dBm (1), the range cfg80211's wireless-extensions layer and OpenWrt's iwinfo use for
 *       their quality figure, so the number matches what LuCI shows. Signal rather than the
 *       driver's expected throughput: every driver reports it, while expected throughput needs
 *       minstrel.
 * </ul>
 */
final class LinkQuality {
  static final int WEAKEST_DBM = -110;
  static final int STRONGEST_DBM = -40;

  private LinkQuality() {}

  /** The quality of batman-adv neighbour {@code n}, or empty if nothing measures it. */
  static OptionalDouble batman(BatmanNeighbour n, List<BatmanOriginator> originators) {
    if (n.throughputMbps().isPresent()) {
      return OptionalDouble.of(throughput(n.throughputMbps().getAsDouble()));
    }
    int direct = -1;
    int via = -1;
    for (BatmanOriginator o : originators) {
      if (!o.nexthop().equals(n.mac()) || o.tq().isEmpty()) {
        continue;
      }
      int tq = o.tq().getAsInt();
      if (o.originator().equals(n.mac())) {
        direct = Math.max(direct, tq);
      }
      via = Math.max(via, tq);
    }
    int tq = direct >= 0 ? direct : via;
    return tq < 0 ? OptionalDouble.empty() : OptionalDouble.of(tq / 255.0);
  }

  /** The quality of 802.11s station {@code s}, or empty if it reports neither signal nor rate. */
  static OptionalDouble station(MeshStation s) {
    var dbm = s.signalAvgDbm().isPresent() ? s.signalAvgDbm() : s.signalDbm();
    if (dbm.isPresent()) {
      return OptionalDouble.of(signal(dbm.getAsInt()));
    }
    if (s.expectedMbps().isPresent()) {
      return OptionalDouble.of(throughput(s.expectedMbps().getAsDouble()));
    }
    return OptionalDouble.empty();
  }

  static double signal(int dbm) {
    return clamp((dbm - WEAKEST_DBM) / (double) (STRONGEST_DBM - WEAKEST_DBM));
  }

  static double throughput(double mbps) {
    return mbps <= 1 ? 0 : clamp(Math.log10(mbps) / 3);
  }

  private static double clamp(double q) {
    return Math.max(0, Math.min(1, q));
  }
}
