package org.canopymesh.agent.cli;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.json.JsonTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Ask the running agent (over its local status port) for its sync state per mirror,",
      "names served and contested, registered names, reports and DNS counters."
    })
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(names = "--json", description = "print the status document as JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    AgentConfig c = config.load();
    InetSocketAddress a = c.statusListen();
    String host = a.getAddress().getHostAddress();
    URI uri =
        URI.create(
            "http://"
                + (host.contains(":") ? "[" + host + "]" : host)
                + ":"
                + a.getPort()
                + "/status");
    HttpResponse<byte[]> r;
    try {
      r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new UserError("no agent answers on " + uri + "; is 'canopy-agent run' running?");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new String(r.body(), StandardCharsets.UTF_8));
      return CanopyAgent.OK;
    }
    print(out, (Map<?, ?>) JsonTree.parse(r.body(), new JsonTree.Limits(4 << 20, 16, 1 << 16)));
    out.flush();
    return CanopyAgent.OK;
  }

  static void print(PrintWriter out, Map<?, ?> s) {
    out.println("node " + s.get("address") + ", up since " + s.get("started"));
    List<?> mirrors = (List<?>) s.get("mirrors");
    out.println(
        "mirrors: quorum "
            + s.get("quorum")
            + " of "
            + mirrors.size()
            + ", last sync "
            + orNever(s.get("lastSync")));
    for (Object o : mirrors) {
      Map<?, ?> m = (Map<?, ?>) o;
      String state =
          m.get("fault") == null
              ? "ok"
              : m.get("fault")
                  + (Boolean.TRUE.equals(m.get("counted")) ? " (copy kept)" : " (ignored)")
                  + ": "
                  + m.get("detail");
      out.println(
          "  "
              + m.get("origin")
              + " "
              + m.get("url")
              + ": "
              + state
              + "; "
              + m.get("entries")
              + " of "
              + m.get("checkpointSize")
              + " entries, cosigned by "
              + m.get("cosigners")
              + ", last verified "
              + orNever(m.get("lastSuccess")));
    }
    out.println("names served: " + s.get("names"));
    List<?> contested = (List<?>) s.get("contested");
    out.println(
        "contested: "
            + (contested.isEmpty()
                ? "none"
                : String.join(", ", contested.stream().map(String::valueOf).toList())));
    for (Object o : (List<?>) s.get("registered")) {
      Map<?, ?> r = (Map<?, ?>) o;
      out.println(
          "registered: "
              + r.get("name")
              + " (seq "
              + r.get("seq")
              + ", expires "
              + r.get("expires")
              + ")");
    }
    if (s.get("reports") instanceof Map<?, ?> reports) {
      out.println("reports: " + JsonTree.write(reports));
    }
    Map<?, ?> dns = (Map<?, ?>) s.get("dns");
    StringBuilder b = new StringBuilder("dns:");
    dns.forEach((k, v) -> b.append(' ').append(k).append(' ').append(v));
    out.println(b);
  }

  private static Object orNever(Object t) {
    return t == null ? "never" : t;
  }
}
