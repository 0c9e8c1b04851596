package org.canopymesh.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.canopymesh.naming.report.L2Neighbour;
import org.canopymesh.naming.report.L2Protocol;
import org.canopymesh.naming.report.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layer-2 survey with captured tool outputs and a fake /sys/class/net. */
class L2SurveyTest {
  @TempDir Path sys;

  /** Replays outputs by command line; anything else is "not installed". */
  static Commands replay(Map<String, String> outputs, List<String> ran) {
    return command -> {
      String line = String.join(" ", command);
      ran.add(line);
      String out = outputs.get(line);
      if (out == null) {
        throw new CommandException(
            CommandException.Kind.MISSING, command.get(0) + " is not installed (or not on PATH)");
      }
      return new Commands.Result(0, out, "");
    };
  }

  void iface(String name, String mac, String... lower) throws IOException {
    Path dir = Files.createDirectories(sys.resolve(name));
    Files.writeString(dir.resolve("address"), mac + "\n");
    for (String l : lower) {
      Files.createDirectories(dir.resolve("lower_" + l));
    }
  }

  @Test
  void batmanIvNeighboursGetTheirTqFromTheOriginatorTable() throws IOException {
    iface("bat0", "72:85:7b:32:ea:39", "mesh-vpn");
    iface("mesh-vpn", "72:85:7b:32:ea:38");
    String neighbours =
        "   mesh-vpn\t  02:42:0a:22:00:03    7.150s\n   mesh-vpn\t  02:42:0a:22:00:01   31.000s\n";
    List<String> ran = new ArrayList<>();
    L2Survey survey =
        new L2Survey(
            Optional.of("bat0"),
            List.of(),
            replay(
                Map.of(
                    "batctl meshif bat0 neighbors -n -H",
                    neighbours,
                    "batctl meshif bat0 originators -n -H",
                    Resources.text("report/batman/originators-iv-2016-debugfs.txt")),
                ran),
            sys);
    L2Survey.Result r = survey.survey();
    assertEquals(
        List.of(
            new L2Neighbour(
                MacAddress.parse("02:42:0a:22:00:03"),
                L2Protocol.BATMAN,
                250 / 255.0,
                Optional.empty())),
        r.neighbours(),
        "the neighbour last seen 31 s ago is stale");
    assertEquals(
        List.of(MacAddress.parse("72:85:7b:32:ea:39"), MacAddress.parse("72:85:7b:32:ea:38")),
        r.macs());
    // The originator table's header lines are not "unreadable" lines.
    assertEquals(List.of(), r.warnings());
  }

  @Test
  void batmanVNeedsNoOriginatorTable() throws IOException {
    iface("bat0", "9a:55:24:91:92:4a", "wlan0");
    iface("wlan0", "bc:2a:33:96:af:2a");
    List<String> ran = new ArrayList<>();
    L2Survey survey =
        new L2Survey(
            Optional.of("bat0"),
            List.of(),
            replay(
                Map.of(
                    "batctl meshif bat0 neighbors -n -H",
                    Resources.text("report/batman/neighbors-v-2025-openwrt.txt")),
                ran),
            sys);
    L2Survey.Result r = survey.survey();
    assertEquals(List.of("batctl meshif bat0 neighbors -n -H"), ran);
    assertEquals(Math.round(Math.log10(7.2) / 3 * 1000) / 1000.0, r.neighbours().get(0).quality());
  }

  @Test
  void meshStationsFromSeveralInterfacesBestFirst() throws IOException {
    iface("mesh0", "82:af:ca:e7:ba:9d");
    iface("mesh1", "24:a4:3c:ae:df:84");
    L2Survey survey =
        new L2Survey(
            Optional.empty(),
            List.of("mesh0", "mesh1"),
            replay(
                Map.of(
                    "iw dev mesh0 station dump",
                    Resources.text("report/iw/station-dump-mt7986-he.txt"),
                    "iw dev mesh1 station dump",
                    Resources.text("report/iw/station-dump-openwrt-wpad-mesh.txt")),
                new ArrayList<>()),
            sys);
    L2Survey.Result r = survey.survey();
    assertEquals(
        List.of("24:a4:3c:ae:df:83", "82:af:ca:d9:85:af", "82:af:ca:e7:bd:01"),
        r.neighbours().stream().map(n -> n.mac().toString()).toList());
    assertEquals(0.8, r.neighbours().get(0).quality());
    assertEquals(2, r.macs().size());
    assertEquals(List.of(), r.warnings());
  }

  @Test
  void missingToolsAndInterfacesAreWarningsNotErrors() {
    L2Survey survey =
        new L2Survey(
            Optional.of("bat0"), List.of("mesh0"), replay(Map.of(), new ArrayList<>()), sys);
    L2Survey.Result r = survey.survey();
    assertEquals(List.of(), r.neighbours());
    assertEquals(List.of(), r.macs());
    assertEquals(4, r.warnings().size(), r.warnings().toString());
    assertTrue(r.warnings().get(0).startsWith("batctl is not installed"), r.warnings().get(0));
    assertTrue(r.warnings().get(0).endsWith("batman-adv neighbours are not reported"));
    assertTrue(
        r.warnings().contains("interface mesh0 does not exist; its address is not reported"));
  }

  @Test
  void aFailingToolSaysWhyInOneLine() throws IOException {
    iface("bat0", "72:85:7b:32:ea:39");
    Commands failing =
        command ->
            new Commands.Result(
                1, "", "Error - interface bat0 is not present or not a batman-adv interface\n");
    L2Survey.Result r = new L2Survey(Optional.of("bat0"), List.of(), failing, sys).survey();
    assertEquals(
        List.of(
            "batctl meshif bat0 neighbors -n -H failed (exit 1: Error - interface bat0 is not"
                + " present or not a batman-adv interface); batman-adv neighbours are not reported"),
        r.warnings());
  }

  @Test
  void unreadableLinesAreCountedInAWarning() throws IOException {
    Commands garbage = command -> new Commands.Result(0, "Station garbage\n\u0000\u0001\n", "");
    L2Survey.Result r = new L2Survey(Optional.empty(), List.of("mesh0"), garbage, sys).survey();
    assertTrue(
        r.warnings()
            .get(0)
            .startsWith("iw dev mesh0 station dump printed 2 lines the agent cannot"),
        r.warnings().toString());
  }
}
