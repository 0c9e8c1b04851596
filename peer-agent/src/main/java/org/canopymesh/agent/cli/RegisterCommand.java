package org.canopymesh.agent.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.config.Durations;
import org.canopymesh.agent.mirror.MirrorApi;
import org.canopymesh.agent.register.Registrar;
import org.canopymesh.agent.register.Registration;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = {
      "Sign a name record with the node key and submit it to the configured mirrors.",
      "Succeeds when at least 'quorum' mirrors accept it; 'run' then renews it before it expires."
    })
final class RegisterCommand implements Callable<Integer> {
  private final Clock clock;

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(paramLabel = "NAME", description = "e.g. wiki (becomes wiki.<first zone>)")
  String name;

  @Option(
      names = "--srv",
      paramLabel = "SERVICE:PROTO:PORT",
      converter = RecordCommand.ServiceConverter.class,
      description = "a service offered at the name, e.g. http:tcp:80 (repeatable)")
  List<Service> services = new ArrayList<>();

  @Option(names = "--txt", paramLabel = "TEXT", description = "a TXT string (repeatable)")
  List<String> texts = new ArrayList<>();

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      defaultValue = RecordCommand.DEFAULT_TTL,
      converter = RecordCommand.DurationConverter.class,
      description = "how long each record is valid, at most 90d (default: ${DEFAULT-VALUE})")
  Duration ttl;

  RegisterCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    if (ttl.compareTo(NameRecord.MAX_LIFETIME) > 0 || ttl.compareTo(Duration.ofHours(1)) < 0) {
      throw new UserError("--ttl must be from 1h to 90d, not " + Durations.format(ttl));
    }
    AgentConfig c = config.load();
    if (c.mirrors().isEmpty()) {
      throw new UserError(config.file + " lists no mirrors to register with");
    }
    Registrar r = new Registrar(c, c.nodeKey(), new MirrorApi(Duration.ofSeconds(20)), clock);
    Registration reg = r.register(name, services, texts, ttl);
    PrintWriter out = spec.commandLine().getOut();
    reg.answers().forEach(a -> out.println(a.line()));
    String n = reg.record().record().name();
    long ok = reg.answers().stream().filter(Registration.Answer::accepted).count();
    if (!reg.accepted()) {
      spec.commandLine()
          .getErr()
          .println(
              "register: "
                  + n
                  + " was accepted by "
                  + ok
                  + " of "
                  + c.mirrors().size()
                  + " mirrors, fewer than the quorum of "
                  + c.quorum()
                  + "; it is not stored");
      return CanopyAgent.INVALID;
    }
    out.println(
        "registered " + n + " → " + reg.record().record().address() + " (" + ok + " mirrors)");
    out.println();
    out.println("So that crawlers harvest it too, put this into the NodeInfo of the node's");
    out.println("Yggdrasil config (" + c.yggdrasilConfig() + ") and restart yggdrasil:");
    out.println("NodeInfo: {");
    out.println("  " + Registrar.nodeInfo(r.registered()));
    out.println("}");
    out.flush();
    return CanopyAgent.OK;
  }
}
