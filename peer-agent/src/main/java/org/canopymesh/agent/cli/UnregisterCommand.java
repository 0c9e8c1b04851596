package org.canopymesh.agent.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.mirror.MirrorApi;
import org.canopymesh.agent.register.Registrar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "unregister",
    mixinStandardHelpOptions = true,
    description = {
      "Stop renewing a name. Mirrors keep the last record until it expires;",
      "after a grace period of 7 days the name is free for others."
    })
final class UnregisterCommand implements Callable<Integer> {
  private final Clock clock;

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(paramLabel = "NAME", description = "e.g. wiki or wiki.mesh.alt")
  String name;

  UnregisterCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    AgentConfig c = config.load();
    String full = c.qualify(name);
    // The key is not needed to forget a record; do not require it to be readable.
    Registrar r = new Registrar(c, null, new MirrorApi(Duration.ofSeconds(1)), clock);
    if (!r.unregister(full)) {
      throw new UserError(full + " is not registered from this node");
    }
    spec.commandLine().getOut().println("no longer renewing " + full);
    return CanopyAgent.OK;
  }
}
