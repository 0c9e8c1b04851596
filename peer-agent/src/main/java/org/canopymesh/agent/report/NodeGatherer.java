package org.canopymesh.agent.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.canopymesh.naming.key.VerifyingKey;
import org.canopymesh.naming.report.LinkState;
import org.canopymesh.naming.report.PeerKind;
import org.canopymesh.naming.report.PeerLink;

/**
 * The agent's gatherer: Yggdrasil peerings from the admin socket, layer-2 neighbours from batctl
 * and iw. A peering that was up in the last report and is gone now is reported {@code down} once,
 * so the map can show the link down at once instead of waiting for it to go stale. Not thread-safe:
 * the reporter calls it from its one gathering thread.
 */
final class NodeGatherer implements Gatherer {
  private final AdminClient admin;
  private final VerifyingKey nodeKey;
  private final L2Survey l2;

  /** One link to each node that was up at the last successful look. */
  private Map<VerifyingKey, PeerLink> lastUp = Map.of();

  NodeGatherer(AdminClient admin, VerifyingKey nodeKey, L2Survey l2) {
    this.admin = admin;
    this.nodeKey = nodeKey;
    this.l2 = l2;
  }

  @Override
  public Observation gather() {
    List<String> warnings = new ArrayList<>();
    List<PeerLink> peers = peers(warnings);
    L2Survey.Result layer2 = l2.survey();
    warnings.addAll(layer2.warnings());
    return new Observation(peers, layer2.neighbours(), layer2.macs(), warnings);
  }

  private List<PeerLink> peers(List<String> warnings) {
    List<PeerInfo> rows;
    try {
      SelfInfo self = admin.self();
      if (!self.key().equals(nodeKey)) {
        warnings.add(
            "the admin endpoint belongs to node "
                + self.address()
                + ", not to this agent's key ("
                + nodeKey.toHex().substring(0, 16)
                + "...); peers are not reported");
        return List.of();
      }
      rows = admin.peers();
    } catch (AdminException e) {
      // Without an answer nothing is known: the peers go stale on the map rather than down.
      warnings.add("Yggdrasil admin: " + e.getMessage() + "; peers are not reported");
      return List.of();
    }
    Set<PeerLink> up = new LinkedHashSet<>();
    Map<VerifyingKey, PeerLink> down = new LinkedHashMap<>();
    for (PeerInfo row : rows) {
      if (row.key().isEmpty()) {
        continue; // a configured 0.5 peer that never connected: no key to report
      }
      PeerLink link =
          new PeerLink(
              row.key().get(),
              PeerClassifier.kind(row.remote()),
              row.up() ? LinkState.UP : LinkState.DOWN,
              row.up() ? row.latency() : Optional.empty(),
              PeerClassifier.reportable(row.remote()));
      if (row.up()) {
        up.add(link);
      } else {
        down.putIfAbsent(link.key(), link);
      }
    }
    Map<VerifyingKey, PeerLink> nowUp = new LinkedHashMap<>();
    up.forEach(p -> nowUp.putIfAbsent(p.key(), p));
    for (PeerLink gone : lastUp.values()) {
      down.putIfAbsent(
          gone.key(),
          new PeerLink(gone.key(), gone.kind(), LinkState.DOWN, Optional.empty(), gone.remote()));
    }
    // A node is down only if no link to it is up: an inbound peer that reconnected from a new
    // port, or one of two links that dropped, is not.
    down.keySet().removeAll(nowUp.keySet());
    lastUp = nowUp;
    return ordered(up, down.values());
  }

  /** Local links first, then overlay ones, then the nodes that went down: the order of worth. */
  private static List<PeerLink> ordered(Set<PeerLink> up, Iterable<PeerLink> down) {
    Comparator<PeerLink> byKey = Comparator.comparing(p -> p.key().toHex());
    List<PeerLink> all = new ArrayList<>(up);
    all.sort(
        Comparator.comparing((PeerLink p) -> p.kind() == PeerKind.LOCAL ? 0 : 1)
            .thenComparing(byKey)
            .thenComparing(p -> p.remote().orElse("")));
    List<PeerLink> gone = new ArrayList<>();
    down.forEach(gone::add);
    gone.sort(byKey);
    all.addAll(gone);
    return all;
  }
}
