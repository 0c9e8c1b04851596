package org.canopymesh.agent.dns;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.canopymesh.agent.json.JsonTree;

/**
 * Knot's {@code kdig} as an independent client, with its RFC 8427 JSON output. Tests that use it
 * fail, never skip, when it is missing. Note that kdig lower-cases the names it sends, so the echo
 * of the client's spelling is checked with raw sockets instead.
 */
final class Kdig {
  private Kdig() {}

  /** The kdig binary: on PATH, or where Debian puts it. */
  static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, "kdig");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    if (Files.isExecutable(Path.of("/usr/bin/kdig"))) {
      return "/usr/bin/kdig";
    }
    return fail(
        "these tests query the server with Knot's kdig, which is not installed; install it with"
            + " 'apt-get install knot-dnsutils' (Debian/Ubuntu)");
  }

  /** One answer as kdig saw it. */
  record Result(Map<String, Object> json) {
    int rcode() {
      return ((Long) json.get("RCODE")).intValue();
    }

    boolean aa() {
      return flag("AA");
    }

    boolean tc() {
      return flag("TC");
    }

    boolean flag(String name) {
      return ((Long) json.get(name)) == 1;
    }

    List<Map<String, Object>> answers() {
      return section("answerRRs");
    }

    List<Map<String, Object>> authority() {
      return section("authorityRRs");
    }

    List<Map<String, Object>> additional() {
      return section("additionalRRs");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> section(String name) {
      Object s = json.get(name);
      return s == null ? List.of() : (List<Map<String, Object>>) s;
    }

    /** The records of {@code section} with {@code TYPEname} {@code type}. */
    List<Map<String, Object>> of(List<Map<String, Object>> section, String type) {
      return section.stream().filter(r -> type.equals(r.get("TYPEname"))).toList();
    }

    @Override
    public String toString() {
      return JsonTree.write(json);
    }
  }

  /** Queries {@code server} over UDP, or TCP with {@code tcp}, with extra kdig options. */
  @SuppressWarnings("unchecked")
  static Result query(
      InetSocketAddress server, boolean tcp, String name, String type, String... options)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary());
    cmd.add("@" + server.getAddress().getHostAddress());
    cmd.add("-p");
    cmd.add(Integer.toString(server.getPort()));
    cmd.add("+json");
    cmd.add("+timeout=5");
    cmd.add("+retry=0");
    if (tcp) {
      cmd.add("+tcp");
    }
    cmd.addAll(List.of(options));
    cmd.add(name);
    cmd.add(type);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", cmd) + " did not finish");
    }
    if (out.length == 0) {
      fail(String.join(" ", cmd) + " printed no answer: " + err);
    }
    return new Result(
        (Map<String, Object>) JsonTree.parse(out, new JsonTree.Limits(1 << 20, 16, 64 << 10)));
  }
}
