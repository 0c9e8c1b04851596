package org.canopymesh.agent.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.names.Lookup;
import org.canopymesh.agent.names.ServedName;
import org.canopymesh.agent.sync.LogSync;
import org.canopymesh.naming.address.MeshipName;
import org.canopymesh.naming.record.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "resolve",
    mixinStandardHelpOptions = true,
    description = {
      "Answer from the verified copy in the state directory, without the daemon or network.",
      "Exits 0 with the records, or 1 saying why the name does not resolve."
    })
final class ResolveCommand implements Callable<Integer> {
  /** The record types a name has. */
  enum Type {
    AAAA,
    TXT,
    SRV,
    ANY
  }

  private final Clock clock;

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(index = "0", paramLabel = "NAME", description = "e.g. wiki, wiki.mesh.alt, x.meship")
  String name;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "TYPE",
      defaultValue = "ANY",
      description = "AAAA, TXT, SRV or ANY (default: ${DEFAULT-VALUE})")
  String type;

  ResolveCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    Type t = type();
    PrintWriter out = spec.commandLine().getOut();
    String lower = name.toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
    if (lower.endsWith("." + MeshipName.TLD)) {
      out.println(lower + ". AAAA " + MeshipName.parse(lower).address());
      return CanopyAgent.OK;
    }
    AgentConfig c = config.load();
    String full = c.qualify(name);
    Instant now = clock.instant();
    try (LogSync copy = LogSync.open(c, clock)) {
      Lookup l = copy.names().lookup(full, now);
      if (l instanceof Lookup.Resolved r) {
        print(out, r.name(), t, now);
        out.flush();
        return CanopyAgent.OK;
      }
      spec.commandLine().getErr().println(full + " does not resolve: " + why(l));
      return CanopyAgent.INVALID;
    }
  }

  private Type type() {
    try {
      return Type.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserError("TYPE must be AAAA, TXT, SRV or ANY, not " + type);
    }
  }

  private static void print(PrintWriter out, ServedName n, Type t, Instant now) {
    String owner = n.name() + ".";
    long ttl = Math.max(1, Duration.between(now, n.expires()).toSeconds());
    if (t == Type.AAAA || t == Type.ANY) {
      out.println(owner + " " + ttl + " AAAA " + n.address());
    }
    if (t == Type.TXT || t == Type.ANY) {
      for (String text : n.texts()) {
        out.println(owner + " " + ttl + " TXT \"" + text.replace("\"", "\\\"") + "\"");
      }
    }
    if (t == Type.SRV || t == Type.ANY) {
      for (Service s : n.services()) {
        out.println(
            "_"
                + s.service()
                + "._"
                + s.protocol().label()
                + "."
                + owner
                + " "
                + ttl
                + " SRV 0 0 "
                + s.port()
                + " "
                + owner);
      }
    }
  }

  static String why(Lookup l) {
    if (l instanceof Lookup.Contested c) {
      return "contested: the mirrors disagree on its owner ("
          + c.votes().entrySet().stream()
              .map(e -> e.getKey() + " by " + e.getValue())
              .collect(Collectors.joining(", "))
          + ")";
    }
    if (l instanceof Lookup.Expired e) {
      return "its record expired at " + e.expired();
    }
    return "absent: no quorum of verified mirror logs holds it (is the agent syncing?)";
  }
}
