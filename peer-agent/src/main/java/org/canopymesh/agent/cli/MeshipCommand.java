package org.canopymesh.agent.cli;

import java.util.concurrent.Callable;
import org.canopymesh.naming.address.MeshipName;
import org.canopymesh.naming.address.OverlayAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "meship",
    mixinStandardHelpOptions = true,
    description = "Convert between overlay addresses and .meship names (meshname-compatible).",
    subcommands = {MeshipCommand.Encode.class, MeshipCommand.Decode.class},
    synopsisSubcommandLabel = "(encode | decode)")
final class MeshipCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say 'encode ADDRESS' or 'decode NAME'");
  }

  @Command(
      name = "encode",
      mixinStandardHelpOptions = true,
      description = "Print the .meship name of an address in 200::/7.")
  static final class Encode implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ADDRESS", description = "e.g. 200:6fc8:9220:f400:5cc2:305a:4ac6:967e")
    String address;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(MeshipName.of(OverlayAddress.parse(address)));
      return CanopyAgent.OK;
    }
  }

  @Command(
      name = "decode",
      mixinStandardHelpOptions = true,
      description = "Print the address a .meship name stands for.")
  static final class Decode implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "e.g. aiag7sesed2aaxgcgbnevruwpy.meship")
    String name;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(MeshipName.parse(name).address());
      return CanopyAgent.OK;
    }
  }
}
