package org.canopymesh.agent.cli;

import java.util.concurrent.Callable;
import org.canopymesh.agent.config.ConfigReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "genconf",
    mixinStandardHelpOptions = true,
    description = {
      "Print a complete agent config with every default and a comment on each field.",
      "canopy-agent genconf > /etc/canopy/agent.json, then set mirrors and reportTo."
    })
final class GenconfCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(ConfigReader.defaultText());
    spec.commandLine().getOut().flush();
    return CanopyAgent.OK;
  }
}
