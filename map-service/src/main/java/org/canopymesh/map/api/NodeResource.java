package org.canopymesh.map.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.canopymesh.map.live.LiveMap;
import org.canopymesh.map.model.LinkKind;
import org.canopymesh.map.model.LinkStatus;
import org.canopymesh.map.model.MapLink;
import org.canopymesh.map.model.MapNode;
import org.canopymesh.map.model.NameEntry;
import org.canopymesh.map.model.NodeState;
import org.canopymesh.map.model.Snapshot;
import org.canopymesh.map.store.MapStore;
import org.canopymesh.map.view.Views;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.address.MeshipName;
import org.canopymesh.naming.address.OverlayAddress;

/** Single nodes, and lists of new and lost ones. */
@Path("/api/v1/nodes")
@Produces(MediaType.APPLICATION_JSON)
public class NodeResource {
  static final int MAX_LIST = 1000;

  @Inject LiveMap live;
  @Inject MapStore store;
  @Inject Clock clock;

  /** {@code list=new}: newest first; {@code lost}: most recently seen first; {@code all}. */
  @GET
  public List<Views.NodeSummary> list(
      @QueryParam("list") @DefaultValue("all") String list,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    if (limit < 1 || limit > MAX_LIST) {
      throw new BadRequest("limit is 1 to " + MAX_LIST, "bad-limit");
    }
    Predicate<MapNode> filter;
    Comparator<MapNode> order;
    switch (list) {
      case "new" -> {
        filter = MapNode::isNew;
        order = Comparator.comparing(MapNode::firstSeen).reversed();
      }
      case "lost" -> {
        filter = n -> n.state() == NodeState.LOST;
        order = Comparator.comparing(MapNode::lastSeen).reversed();
      }
      case "all" -> {
        filter = n -> true;
        order = Comparator.comparing(MapNode::key);
      }
      default -> throw new BadRequest("list is new, lost or all", "bad-list");
    }
    return live.snapshot().nodes().stream()
        .filter(filter)
        .sorted(order)
        .limit(limit)
        .map(Views.NodeSummary::of)
        .toList();
  }

  /** A node's detail. */
  public record Detail(
      String key,
      String address,
      String meship,
      String name,
      List<String> names,
      List<Service> services,
      NodeState state,
      @JsonProperty("new") boolean fresh,
      Instant firstSeen,
      Instant lastSeen,
      Place location,
      IslandRef island,
      String version,
      List<String> sources,
      List<Peer> peers,
      List<History> history) {}

  public record Service(String name, String type, String value) {}

  public record Place(double lat, double lon) {}

  public record IslandRef(String id, String name) {}

  public record Peer(
      String key,
      String address,
      String name,
      LinkKind kind,
      LinkStatus state,
      Double quality,
      Double latencyMs) {}

  public record History(String peer, List<MapStore.MetricPoint> points) {}

  /** A node by its key (64 hex digits) or overlay address (any IPv6 spelling). */
  @GET
  @Path("/{id}")
  public Detail node(@PathParam("id") String id) {
    Snapshot s = live.snapshot();
    MapNode n = find(s, id);
    List<Service> services = new ArrayList<>();
    for (NameEntry e : n.names()) {
      e.services().forEach(v -> services.add(new Service(e.name(), "SRV", v)));
      e.texts().forEach(v -> services.add(new Service(e.name(), "TXT", v)));
    }
    List<Peer> peers = new ArrayList<>();
    for (MapLink l : s.linksOf(n.key())) {
      String other = l.id().other(n.key());
      MapNode p = s.node(other).orElse(null);
      peers.add(
          new Peer(
              other,
              p == null ? null : p.address(),
              p == null ? null : p.name(),
              l.kind(),
              l.status(),
              l.quality(),
              l.latencyMs()));
    }
    List<History> history = new ArrayList<>();
    for (Map.Entry<String, List<MapStore.MetricPoint>> e :
        store.history(n.key(), clock.instant()).entrySet()) {
      history.add(new History(e.getKey(), e.getValue()));
    }
    return new Detail(
        n.key(),
        n.address(),
        n.address() == null ? null : MeshipName.of(OverlayAddress.parse(n.address())).toString(),
        n.name(),
        n.names().stream().map(NameEntry::name).toList(),
        services,
        n.state(),
        n.isNew(),
        n.firstSeen(),
        n.lastSeen(),
        n.location() == null ? null : new Place(n.location().lat(), n.location().lon()),
        n.island() == null
            ? null
            : new IslandRef(n.island(), s.island(n.island()).map(i -> i.name()).orElse(null)),
        n.version(),
        n.sources(),
        peers,
        history);
  }

  private static MapNode find(Snapshot s, String id) {
    if (id.matches("[0-9a-fA-F]{64}")) {
      return s.node(id.toLowerCase(Locale.ROOT)).orElseThrow(NodeResource::notFound);
    }
    String address;
    try {
      address = OverlayAddress.parse(id).toString();
    } catch (NamingException e) {
      throw new BadRequest(
          "a node is named by its key (64 hex digits) or its overlay address", "bad-node-id");
    }
    return s.nodeAt(address).orElseThrow(NodeResource::notFound);
  }

  private static NotFoundException notFound() {
    return new NotFoundException(
        jakarta.ws.rs.core.Response.status(404)
            .type(MediaType.APPLICATION_JSON)
            .entity(new ApiError("no such node", "not-found"))
            .build());
  }
}
