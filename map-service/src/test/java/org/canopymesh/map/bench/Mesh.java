package org.canopymesh.map.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.canopymesh.map.testing.Reports;
import org.canopymesh.map.testing.TopologyJson;
import org.canopymesh.naming.report.LinkState;
import org.canopymesh.naming.report.PeerKind;

/**
 * A synthetic community mesh shaped as the targets describe it, so that the map, the page and the
 * model do the work a real one gives them: about 60 % of the nodes located around a few towns, most
 * of those in islands of 3 to 30 nodes joined by local links, a tenth of the islands declared by
 * their members, names on most nodes, and overlay links (a good share to public hubs) for the rest.
 *
 * <p>Island members run the agent: they report their place, their declared island and every
 * peering, which is how the service learns that a link is local (a crawl does not say). The other
 * nodes are known from the crawl only. Keys are real (reports are signed and verified); the shape
 * comes from a seeded random, so two runs of one size draw the same map.
 */
final class Mesh {
  /** Towns (lat, lon) the located nodes gather around, with a weight each. */
  private static final double[][] TOWNS = {
    {52.52, 13.40, 5}, // Berlin
    {51.34, 12.37, 2}, // Leipzig
    {53.55, 9.99, 2}, // Hamburg
    {48.21, 16.37, 3}, // Vienna
    {41.39, 2.17, 3}, // Barcelona
    {37.98, 23.73, 2}, // Athens
    {50.08, 14.44, 2}, // Prague
  };

  private static final String[] TOWN_NAMES = {
    "berlin", "leipzig", "hamburg", "vienna", "barcelona", "athens", "prague"
  };
  private static final String[] WORDS = {
    "roof", "tower", "attic", "garden", "school", "cafe", "library", "balcony", "mast", "church"
  };

  /** The share of nodes that are island members (and run the agent). */
  private static final double ISLAND_SHARE = 0.66;

  /** The share of island members that publish a place. */
  private static final double MEMBER_LOCATED = 0.9;

  /** The share of nodes located in all. */
  private static final double LOCATED_SHARE = 0.6;

  /** A tenth of the islands carry a name their members declare. */
  private static final double DECLARED_SHARE = 0.1;

  /** One node of the mesh. {@code island} is -1 for nodes in no island. */
  static final class Member {
    final int index;
    final Reports.Node node;
    final String name;
    Double lat;
    Double lon;
    final int island;
    final List<Integer> links = new ArrayList<>();

    Member(int index, Reports.Node node, String name, int island) {
      this.index = index;
      this.node = node;
      this.name = name;
      this.island = island;
    }

    boolean agent() {
      return island >= 0;
    }

    boolean located() {
      return lat != null;
    }
  }

  /** A link; {@code local} links join members of one island. */
  record Link(int a, int b, boolean local) {}

  /** An island as planned; {@code declared} is null when its members declare no name. */
  record IslandPlan(String declared, List<Integer> members) {}

  /** A report that takes a live crawled link down: the SSE probe. */
  record Probe(Member reporter, Member peer) {}

  final List<Member> members;
  final List<Link> links;
  final List<IslandPlan> islands;

  private Mesh(List<Member> members, List<Link> links, List<IslandPlan> islands) {
    this.members = members;
    this.links = links;
    this.islands = islands;
  }

  /** A mesh of {@code nodes} nodes and {@code linkCount} links. */
  static Mesh generate(int nodes, int linkCount, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    // Keys are generated in parallel: 10,000 of them take a few seconds on one core.
    List<Reports.Node> keys =
        IntStream.range(0, nodes).parallel().mapToObj(i -> Reports.node()).toList();

    List<IslandPlan> islands = new ArrayList<>();
    List<Member> members = new ArrayList<>(nodes);
    int memberTarget = (int) Math.round(nodes * ISLAND_SHARE);
    List<double[]> centres = new ArrayList<>();
    while (members.size() < memberTarget) {
      // 3 to 30, mostly small: the mean is about 12.
      double u = rnd.nextDouble();
      int remaining = memberTarget - members.size();
      int size = 3 + (int) (27 * u * u);
      if (remaining - size < 3) {
        size = remaining; // no island of one or two at the end
      }
      int id = islands.size();
      int town = town(rnd);
      double[] centre = {
        TOWNS[town][0] + gauss(rnd) * 0.06,
        TOWNS[town][1] + gauss(rnd) * 0.06 / Math.cos(Math.toRadians(TOWNS[town][0]))
      };
      centres.add(centre);
      String declared =
          rnd.nextDouble() < DECLARED_SHARE
              ? "Kiez " + capital(TOWN_NAMES[town]) + " " + (id + 1)
              : null;
      List<Integer> ids = new ArrayList<>(size);
      for (int k = 0; k < size; k++) {
        int index = members.size();
        Member m = new Member(index, keys.get(index), name(rnd, town, index), id);
        if (rnd.nextDouble() < MEMBER_LOCATED) {
          // A few hundred metres around the island's centre.
          m.lat = centre[0] + gauss(rnd) * 0.004;
          m.lon = centre[1] + gauss(rnd) * 0.006;
        }
        members.add(m);
        ids.add(index);
      }
      islands.add(new IslandPlan(declared, ids));
    }
    int locatedMembers = (int) members.stream().filter(Member::located).count();
    int locatedLoners = Math.max(0, (int) Math.round(nodes * LOCATED_SHARE) - locatedMembers);
    int loners = nodes - members.size();
    for (int k = 0; k < loners; k++) {
      int index = members.size();
      int town = town(rnd);
      Member m = new Member(index, keys.get(index), name(rnd, town, index), -1);
      // Located loners are servers and lone roofs in the towns.
      if (k < locatedLoners) {
        m.lat = TOWNS[town][0] + gauss(rnd) * 0.1;
        m.lon = TOWNS[town][1] + gauss(rnd) * 0.15;
      }
      members.add(m);
    }

    List<Link> links = new ArrayList<>(linkCount);
    Set<Long> pairs = new HashSet<>();
    for (IslandPlan island : islands) {
      List<Integer> ids = island.members();
      // A spanning tree (every member reaches the island), then a few more local links.
      for (int k = 1; k < ids.size(); k++) {
        add(links, pairs, ids.get(k), ids.get(rnd.nextInt(k)), true, members);
      }
      int extra = (int) Math.round(ids.size() * 0.4);
      for (int k = 0; k < extra && ids.size() > 2; k++) {
        add(
            links,
            pairs,
            ids.get(rnd.nextInt(ids.size())),
            ids.get(rnd.nextInt(ids.size())),
            true,
            members);
      }
    }
    // Public peers: a few loners that many nodes peer with over the Internet.
    List<Integer> hubs = new ArrayList<>();
    for (int i = members.size() - 1; i >= 0 && hubs.size() < Math.max(2, nodes / 50); i--) {
      if (!members.get(i).agent()) {
        hubs.add(i);
      }
    }
    long tries = 0;
    while (links.size() < linkCount && tries++ < 50L * linkCount) {
      int a = rnd.nextInt(nodes);
      int b = rnd.nextDouble() < 0.5 ? hubs.get(rnd.nextInt(hubs.size())) : rnd.nextInt(nodes);
      // An agent reports at most 256 peerings; keep every agent's list whole.
      if ((members.get(a).agent() && members.get(a).links.size() >= 200)
          || (members.get(b).agent() && members.get(b).links.size() >= 200)) {
        continue;
      }
      add(links, pairs, a, b, false, members);
    }
    return new Mesh(members, links, islands);
  }

  private static void add(
      List<Link> links, Set<Long> pairs, int a, int b, boolean local, List<Member> members) {
    if (a == b || !pairs.add((long) Math.min(a, b) << 32 | Math.max(a, b))) {
      return;
    }
    members.get(a).links.add(links.size());
    members.get(b).links.add(links.size());
    links.add(new Link(a, b, local));
  }

  private static int town(SplittableRandom rnd) {
    double total = 0;
    for (double[] t : TOWNS) {
      total += t[2];
    }
    double x = rnd.nextDouble() * total;
    for (int i = 0; i < TOWNS.length; i++) {
      x -= TOWNS[i][2];
      if (x < 0) {
        return i;
      }
    }
    return TOWNS.length - 1;
  }

  /** Four in five nodes carry a name in their NodeInfo. */
  private static String name(SplittableRandom rnd, int town, int index) {
    if (rnd.nextDouble() >= 0.8) {
      return null;
    }
    return TOWN_NAMES[town] + "-" + WORDS[rnd.nextInt(WORDS.length)] + "-" + index;
  }

  private static double gauss(SplittableRandom rnd) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble()))
        * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  private static String capital(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  // ---- what the service is fed ----

  /** The crawler's topology: every node (name, place) and every link, as one crawl saw them. */
  String topology(Instant seen) {
    TopologyJson t = new TopologyJson(seen);
    for (Member m : members) {
      t.node(m.node, m.name, m.lat, m.lon, null);
    }
    for (Link l : links) {
      t.link(members.get(l.a()).node, members.get(l.b()).node);
    }
    return t.toString();
  }

  List<Member> agents() {
    return members.stream().filter(Member::agent).toList();
  }

  /**
   * The agent's next report: its place, its declared island and all its peerings, up, with a
   * latency that varies from report to report. Not thread-safe for one member (its {@code seq}).
   */
  String report(Member m, Instant time, SplittableRandom rnd) {
    Reports.Node n = m.node;
    n.clearLinks();
    for (int li : m.links) {
      Link l = links.get(li);
      Member other = members.get(l.a() == m.index ? l.b() : l.a());
      double ms = l.local() ? 1 + rnd.nextDouble() * 9 : 20 + rnd.nextDouble() * 130;
      n.peer(
          other.node,
          l.local() ? PeerKind.LOCAL : PeerKind.OVERLAY,
          LinkState.UP,
          Duration.ofNanos((long) (ms * 1e6) / 1000 * 1000));
    }
    if (m.located()) {
      n.at(m.lat, m.lon);
    }
    String declared = islands.get(m.island).declared();
    if (declared != null) {
      n.island(declared);
    }
    return n.report(time);
  }

  /**
   * Up to {@code count} probes: crawled overlay links between two nodes that do not run the agent,
   * each reporter used once, so that its report ({@code down}) is the only word on the link but the
   * crawl's and turns it from live to down.
   */
  List<Probe> probes(int count) {
    List<Probe> out = new ArrayList<>();
    Set<Integer> used = new HashSet<>();
    for (Link l : links) {
      if (out.size() >= count) {
        break;
      }
      Member a = members.get(l.a());
      Member b = members.get(l.b());
      if (l.local() || a.agent() || b.agent() || used.contains(a.index)) {
        continue;
      }
      used.add(a.index);
      out.add(new Probe(a, b));
    }
    return out;
  }

  /** The probe's report: the one peering, down. */
  static String probeReport(Probe p, Instant time) {
    return p.reporter()
        .node
        .clearLinks()
        .peer(p.peer().node, PeerKind.OVERLAY, LinkState.DOWN, null)
        .report(time);
  }

  // ---- what the map should then show ----

  int located() {
    return (int) members.stream().filter(Member::located).count();
  }

  int localLinks() {
    return (int) links.stream().filter(Link::local).count();
  }

  /** Links whose two ends are located: the LineStrings of the map. */
  int drawableLinks() {
    return (int)
        links.stream()
            .filter(l -> members.get(l.a()).located() && members.get(l.b()).located())
            .count();
  }

  String describe() {
    int agents = agents().size();
    int declared = (int) islands.stream().filter(i -> i.declared() != null).count();
    return String.format(
        java.util.Locale.ROOT,
        "%,d nodes (%,d located, %,d in %,d islands of 3-30 running the agent, %d islands"
            + " declared), %,d links (%,d local, %,d overlay; %,d with both ends located)",
        members.size(),
        located(),
        agents,
        islands.size(),
        declared,
        links.size(),
        localLinks(),
        links.size() - localLinks(),
        drawableLinks());
  }
}
