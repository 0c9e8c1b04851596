package org.canopymesh.agent.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.canopymesh.naming.report.InvalidReportException;
import org.canopymesh.naming.report.L2Neighbour;
import org.canopymesh.naming.report.L2Protocol;
import org.canopymesh.naming.report.MacAddress;

/**
 * The layer-2 part of a report: batman-adv neighbours ({@code batctl}), 802.11s stations ({@code
 * iw}) and the addresses of this node's own mesh interfaces ({@code /sys/class/net}). A missing
 * tool or interface is a warning and an empty part, never an error.
 */
final class L2Survey {
  /**
   * A neighbour not heard from for this long is no link: batman-adv sends OGMs every second and ELP
   * probes twice a second, 802.11s peers beacon ten times a second.
   */
  static final Duration STALE_AFTER = Duration.ofSeconds(30);

  /** The l2 lines and mac lines found, and what went wrong. */
  record Result(List<L2Neighbour> neighbours, List<MacAddress> macs, List<String> warnings) {}

  private final Optional<String> batmanInterface;
  private final List<String> meshInterfaces;
  private final Commands commands;
  private final Path sysClassNet;

  L2Survey(
      Optional<String> batmanInterface,
      List<String> meshInterfaces,
      Commands commands,
      Path sysClassNet) {
    this.batmanInterface = batmanInterface;
    this.meshInterfaces = List.copyOf(meshInterfaces);
    this.commands = commands;
    this.sysClassNet = sysClassNet;
  }

  Result survey() {
    List<String> warnings = new ArrayList<>();
    Map<String, L2Neighbour> found = new LinkedHashMap<>();
    batmanInterface.ifPresent(bat -> batman(bat, warnings).forEach(n -> keepBest(found, n)));
    for (String iface : meshInterfaces) {
      stations(iface, warnings).forEach(n -> keepBest(found, n));
    }
    List<L2Neighbour> neighbours = new ArrayList<>(found.values());
    // Best links first: if a report must drop lines, it drops the weakest.
    neighbours.sort(
        Comparator.comparingDouble(L2Neighbour::quality)
            .reversed()
            .thenComparing(L2Neighbour::mac)
            .thenComparing(L2Neighbour::protocol));
    return new Result(neighbours, ownMacs(warnings), warnings);
  }

  private static void keepBest(Map<String, L2Neighbour> found, L2Neighbour n) {
    found.merge(n.mac() + " " + n.protocol(), n, (a, b) -> a.quality() >= b.quality() ? a : b);
  }

  private List<L2Neighbour> batman(String bat, List<String> warnings) {
    List<String> nCommand = List.of("batctl", "meshif", bat, "neighbors", "-n", "-H");
    Optional<String> nOut = run(nCommand, warnings, "batman-adv neighbours are not reported");
    if (nOut.isEmpty()) {
      return List.of();
    }
    Parsed<BatmanNeighbour> neighbours = BatmanTables.neighbours(nOut.get());
    noteSkipped(nCommand, neighbours.skippedLines(), warnings);
    List<BatmanOriginator> originators = List.of();
    if (neighbours.rows().stream().anyMatch(n -> n.throughputMbps().isEmpty())) {
      // B.A.T.M.A.N. IV: the link quality (TQ) is in the originator table.
      List<String> oCommand = List.of("batctl", "meshif", bat, "originators", "-n", "-H");
      Optional<String> oOut =
          run(oCommand, warnings, "batman-adv link qualities are reported as 0");
      if (oOut.isPresent()) {
        Parsed<BatmanOriginator> parsed = BatmanTables.originators(oOut.get());
        noteSkipped(oCommand, parsed.skippedLines(), warnings);
        originators = parsed.rows();
      }
    }
    List<L2Neighbour> out = new ArrayList<>();
    for (BatmanNeighbour n : neighbours.rows()) {
      if (n.lastSeen().compareTo(STALE_AFTER) <= 0) {
        out.add(neighbour(n.mac(), L2Protocol.BATMAN, LinkQuality.batman(n, originators)));
      }
    }
    return out;
  }

  private List<L2Neighbour> stations(String iface, List<String> warnings) {
    List<String> command = List.of("iw", "dev", iface, "station", "dump");
    Optional<String> out =
        run(command, warnings, "802.11s stations of " + iface + " are not reported");
    if (out.isEmpty()) {
      return List.of();
    }
    Parsed<MeshStation> parsed = StationDump.parse(out.get());
    noteSkipped(command, parsed.skippedLines(), warnings);
    List<L2Neighbour> result = new ArrayList<>();
    for (MeshStation s : parsed.rows()) {
      boolean fresh = s.inactive().map(d -> d.compareTo(STALE_AFTER) <= 0).orElse(true);
      if (s.isLinked() && fresh) {
        result.add(neighbour(s.mac(), L2Protocol.IEEE80211S, LinkQuality.station(s)));
      }
    }
    return result;
  }

  /** A neighbour whose link nothing measures is reported with quality 0: seen, not rated. */
  private static L2Neighbour neighbour(MacAddress mac, L2Protocol protocol, OptionalDouble q) {
    return new L2Neighbour(mac, protocol, q.orElse(0), Optional.empty());
  }

  private Optional<String> run(List<String> command, List<String> warnings, String consequence) {
    String name = String.join(" ", command);
    try {
      Commands.Result r = commands.run(command);
      if (r.exitCode() != 0) {
        String why = r.firstErrorLine();
        warnings.add(
            name
                + " failed (exit "
                + r.exitCode()
                + (why.isEmpty() ? "" : ": " + why)
                + "); "
                + consequence);
        return Optional.empty();
      }
      return Optional.of(r.stdout());
    } catch (CommandException e) {
      warnings.add(e.getMessage() + "; " + consequence);
      return Optional.empty();
    }
  }

  private static void noteSkipped(List<String> command, int skipped, List<String> warnings) {
    if (skipped > 0) {
      warnings.add(
          String.join(" ", command)
              + " printed "
              + skipped
              + " line"
              + (skipped == 1 ? "" : "s")
              + " the agent cannot read; a batctl or iw version with another layout?");
    }
  }

  /**
   * The addresses other nodes see this one by: the batman-adv interface, the interfaces under it
   * (its {@code lower_*} links, whose addresses neighbours list), and the 802.11s interfaces.
   */
  private List<MacAddress> ownMacs(List<String> warnings) {
    Set<String> ifaces = new LinkedHashSet<>();
    batmanInterface.ifPresent(
        bat -> {
          ifaces.add(bat);
          ifaces.addAll(lowerInterfaces(bat));
        });
    ifaces.addAll(meshInterfaces);
    Set<MacAddress> macs = new LinkedHashSet<>();
    for (String iface : ifaces) {
      address(iface, warnings).ifPresent(macs::add);
    }
    return new ArrayList<>(macs);
  }

  private List<String> lowerInterfaces(String bat) {
    List<String> lower = new ArrayList<>();
    try (DirectoryStream<Path> links =
        Files.newDirectoryStream(sysClassNet.resolve(bat), "lower_*")) {
      for (Path link : links) {
        lower.add(link.getFileName().toString().substring("lower_".length()));
      }
    } catch (IOException e) {
      // No such interface: address() says so.
    }
    lower.sort(null);
    return lower;
  }

  private Optional<MacAddress> address(String iface, List<String> warnings) {
    Path file = sysClassNet.resolve(iface).resolve("address");
    try {
      String text = new String(readAtMost(file, 64), StandardCharsets.US_ASCII).strip();
      return Optional.of(MacAddress.parseAnyCase(text));
    } catch (NoSuchFileException e) {
      warnings.add("interface " + iface + " does not exist; its address is not reported");
    } catch (IOException | InvalidReportException e) {
      warnings.add("cannot read the address of " + iface + ": " + e.getMessage());
    }
    return Optional.empty();
  }

  private static byte[] readAtMost(Path file, int max) throws IOException {
    try (var in = Files.newInputStream(file)) {
      return in.readNBytes(max);
    }
  }
}
