package org.canopymesh.crawler.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.canopymesh.naming.key.SigningKey;

/**
 * Regenerates the admin-API fixtures in {@code src/test/resources/admin/yggdrasil-0.4.7}: starts a
 * four-node chain a-b-c-d (d with NodeInfoPrivacy) and saves each raw reply of the real binary. Not
 * a test; run it by hand as the fixture README describes. Keys come from fixed seeds so the
 * fixtures keep their keys and addresses from one capture to the next.
 */
public final class AdminFixtureCapture {
  private static final String[] NAMES = {"a", "b", "c", "d"};

  private AdminFixtureCapture() {}

  /** Seed of fixture node {@code name}: SHA-256 of "canopy admin fixture node NAME". */
  public static SigningKey fixtureKey(String name) throws Exception {
    byte[] seed =
        MessageDigest.getInstance("SHA-256")
            .digest(("canopy admin fixture node " + name).getBytes(StandardCharsets.UTF_8));
    return SigningKey.fromSeed(seed);
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/admin/yggdrasil-0.4.7");
    Files.createDirectories(out);
    Path work = Files.createTempDirectory("canopy-fixture-capture");
    YggdrasilOverlay.Builder builder = YggdrasilOverlay.builder(work).nodes(4).chain(0, 1, 2, 3);
    double[][] places = {{52.5, 13.4}, {52.52, 13.41}, {48.14, 11.58}, {53.55, 9.99}};
    String[] islands = {"kreuzberg", "kreuzberg", "schwabing", "altona"};
    for (int i = 0; i < 4; i++) {
      builder.key(i, fixtureKey(NAMES[i]));
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("name", NAMES[i]);
      info.put("location", Map.of("lat", places[i][0], "lon", places[i][1]));
      info.put("canopy", Map.of("records", List.of("record-of-" + NAMES[i]), "island", islands[i]));
      builder.nodeInfo(i, info);
    }
    builder.privacy(3, true);

    List<String> table = new ArrayList<>();
    long started = System.nanoTime();
    try (YggdrasilOverlay overlay = builder.start()) {
      System.out.printf("overlay converged in %d ms%n", (System.nanoTime() - started) / 1_000_000);
      String c = overlay.node(2).publicKeyHex();
      String d = overlay.node(3).publicKeyHex();
      String b = overlay.node(1).publicKeyHex();
      String nobody = SigningKey.generate(new SecureRandom()).verifyingKey().toHex();

      Capture cap = new Capture(overlay, out, table);
      cap.call("list", 1, "list", Map.of());
      cap.call("getSelf", 1, "getSelf", Map.of());
      cap.call("getPeers", 1, "getPeers", Map.of());
      cap.call("getDHT", 1, "getDHT", Map.of());
      cap.call("getPaths", 1, "getPaths", Map.of());
      cap.call("getTUN", 1, "getTUN", Map.of());
      cap.call("getMulticastInterfaces", 1, "getMulticastInterfaces", Map.of());
      cap.call("getNodeInfo-local", 1, "getNodeInfo", Map.of("key", b));
      cap.call("getNodeInfo-remote", 0, "getNodeInfo", Map.of("key", c));
      cap.call("getNodeInfo-privacy", 0, "getNodeInfo", Map.of("key", d));
      cap.call("debug_remoteGetSelf", 0, "debug_remoteGetSelf", Map.of("key", d));
      cap.call("debug_remoteGetPeers", 0, "debug_remoteGetPeers", Map.of("key", c));
      cap.call("debug_remoteGetDHT", 0, "debug_remoteGetDHT", Map.of("key", d));
      cap.call("getSessions", 0, "getSessions", Map.of());
      cap.call("error-unknownRequest", 1, "getBogus", Map.of());
      cap.call("error-getNodeInfo-noKey", 1, "getNodeInfo", Map.of());
      cap.call("error-badKey", 1, "debug_remoteGetSelf", Map.of("key", "not-hex"));
      cap.raw("error-topLevelArguments", 1, "{\"request\":\"getNodeInfo\",\"key\":\"" + c + "\"}");
      cap.raw("error-notJson", 1, "hello");
      cap.raw("keepalive-getSelf", 1, "{\"request\":\"getSelf\",\"keepalive\":true}");
      cap.call("error-getNodeInfo-unknownKey", 0, "getNodeInfo", Map.of("key", nobody));
      cap.call(
          "error-debug_remoteGetSelf-unknownKey", 0, "debug_remoteGetSelf", Map.of("key", nobody));
    }
    System.out.println("| file | asked | request | ms | bytes | closed |");
    System.out.println("|---|---|---|---|---|---|");
    table.forEach(System.out::println);
  }

  private record Capture(YggdrasilOverlay overlay, Path out, List<String> table) {
    void call(String file, int from, String request, Map<String, ?> arguments) throws Exception {
      raw(file, from, AdminProbe.requestJson(request, arguments));
    }

    void raw(String file, int from, String json) throws Exception {
      AdminProbe.Reply reply = overlay.node(from).admin().send(json);
      Files.writeString(out.resolve(file + ".json"), reply.raw(), StandardCharsets.UTF_8);
      String shown = json;
      for (int i = 0; i < overlay.size(); i++) {
        shown = shown.replace(overlay.node(i).publicKeyHex(), "<" + NAMES[i] + ">");
      }
      shown = shown.replaceAll("[0-9a-f]{64}", "<unknown key>");
      table.add(
          String.format(
              "| %s.json | %s | `%s` | %d | %d | %s |",
              file,
              NAMES[from],
              shown,
              reply.elapsed().toMillis(),
              reply.raw().getBytes(StandardCharsets.UTF_8).length,
              reply.closedAfterReply() ? "yes" : "no"));
    }
  }
}
