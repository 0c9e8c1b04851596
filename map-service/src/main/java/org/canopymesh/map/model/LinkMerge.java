package org.canopymesh.map.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.canopymesh.naming.report.L2Neighbour;
import org.canopymesh.naming.report.LinkState;
import org.canopymesh.naming.report.MacAddress;
import org.canopymesh.naming.report.PeerKind;
import org.canopymesh.naming.report.PeerLink;

/**
 * Merges the links crawlers saw with the peerings and layer-2 neighbours agents report. A link is
 * local when any source says so; live while a fresh report shows it up or the current crawl has it;
 * down when fresh reports say down and none says up; stale otherwise. Links are drawn only between
 * known nodes, so a report cannot conjure nodes nobody else has seen.
 */
final class LinkMerge {
  private final Rules rules;
  private final Instant now;

  LinkMerge(Rules rules, Instant now) {
    this.rules = rules;
    this.now = now;
  }

  /** What the sources say of one link. */
  private static final class Evidence {
    boolean local;
    boolean up;
    boolean down;
    boolean crawled;
    Instant lastSeen;
    double qualitySum;
    int qualityN;
    double latencySum;
    int latencyN;

    void seen(Instant at) {
      lastSeen = Merge.later(lastSeen, at);
    }
  }

  List<MapLink> merge(Inputs in, Set<String> nodes) {
    Map<LinkId, Evidence> links = new HashMap<>();
    for (CrawlerView v : in.crawlers()) {
      if (age(v.fetchedAt()).compareTo(rules.linkForgetAfter()) > 0) {
        continue;
      }
      boolean current = age(v.fetchedAt()).compareTo(rules.offlineAfter()) <= 0;
      for (LinkId id : v.links()) {
        Evidence e = links.computeIfAbsent(id, k -> new Evidence());
        e.crawled |= current;
        e.seen(v.fetchedAt());
      }
    }
    Map<MacAddress, String> macs = macOwners(in.reports().values());
    for (ReceivedReport r : in.reports().values()) {
      addReport(links, r, macs);
    }
    for (KnownLink k : in.knownLinks().values()) {
      Evidence e = links.get(k.id());
      if (e == null && age(k.lastSeen()).compareTo(rules.linkForgetAfter()) <= 0) {
        e = links.computeIfAbsent(k.id(), x -> new Evidence());
      }
      if (e != null) {
        e.local |= k.kind() == LinkKind.LOCAL;
        e.seen(k.lastSeen());
      }
    }
    List<MapLink> out = new ArrayList<>(links.size());
    links.forEach(
        (id, e) -> {
          if (nodes.contains(id.a()) && nodes.contains(id.b())) {
            out.add(link(id, e));
          }
        });
    out.sort(Comparator.comparing(MapLink::a).thenComparing(MapLink::b));
    return out;
  }

  /** Which node each mesh interface belongs to; the latest report wins a disputed address. */
  static Map<MacAddress, String> macOwners(Iterable<ReceivedReport> reports) {
    Map<MacAddress, ReceivedReport> owner = new HashMap<>();
    for (ReceivedReport r : reports) {
      for (MacAddress mac : r.report().macs()) {
        owner.merge(mac, r, (x, y) -> x.receivedAt().isAfter(y.receivedAt()) ? x : y);
      }
    }
    Map<MacAddress, String> out = new HashMap<>();
    owner.forEach((mac, r) -> out.put(mac, r.key()));
    return out;
  }

  private void addReport(
      Map<LinkId, Evidence> links, ReceivedReport r, Map<MacAddress, String> macs) {
    if (age(r.receivedAt()).compareTo(rules.linkForgetAfter()) > 0) {
      return;
    }
    String key = r.key();
    boolean fresh = age(r.receivedAt()).compareTo(rules.reportFresh()) <= 0;
    List<PeerLink> peers = r.report().peers();
    for (int i = 0; i < peers.size(); i++) {
      PeerLink p = peers.get(i);
      String other = r.peerKeys().get(i);
      if (other.equals(key)) {
        continue;
      }
      Evidence e = links.computeIfAbsent(LinkId.of(key, other), k -> new Evidence());
      e.local |= p.kind() == PeerKind.LOCAL;
      e.seen(r.receivedAt());
      if (fresh) {
        e.up |= p.state() == LinkState.UP;
        e.down |= p.state() == LinkState.DOWN;
      }
      p.latency().ifPresent(d -> addLatency(e, d));
    }
    for (L2Neighbour n : r.report().neighbours()) {
      String other = macs.get(n.mac());
      if (other == null || other.equals(key)) {
        continue;
      }
      Evidence e = links.computeIfAbsent(LinkId.of(key, other), k -> new Evidence());
      e.local = true;
      e.seen(r.receivedAt());
      e.up |= fresh;
      e.qualitySum += n.quality();
      e.qualityN++;
      n.latency().ifPresent(d -> addLatency(e, d));
    }
  }

  private static void addLatency(Evidence e, Duration d) {
    e.latencySum += d.toNanos() / 1e6;
    e.latencyN++;
  }

  private MapLink link(LinkId id, Evidence e) {
    LinkStatus status;
    if (e.up) {
      status = LinkStatus.LIVE;
    } else if (e.down) {
      status = LinkStatus.DOWN;
    } else if (e.crawled) {
      status = LinkStatus.LIVE;
    } else {
      status = LinkStatus.STALE;
    }
    return new MapLink(
        id,
        e.local ? LinkKind.LOCAL : LinkKind.OVERLAY,
        status,
        e.qualityN == 0 ? null : round(e.qualitySum / e.qualityN, 1000),
        e.latencyN == 0 ? null : round(e.latencySum / e.latencyN, 100),
        e.lastSeen);
  }

  private Duration age(Instant at) {
    return Duration.between(at, now);
  }

  static double round(double v, int scale) {
    return Math.round(v * scale) / (double) scale;
  }
}
