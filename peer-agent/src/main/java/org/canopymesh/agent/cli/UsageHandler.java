package org.canopymesh.agent.cli;

import picocli.CommandLine;

/** Bad arguments: the problem in one line and where to look, not the whole usage text. */
final class UsageHandler implements CommandLine.IParameterExceptionHandler {
  @Override
  public int handleParseException(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    String name = cl.getCommandSpec().qualifiedName();
    String message = e.getMessage().replaceFirst("^Error: ", "");
    cl.getErr().println(name + ": " + message);
    cl.getErr().println("Try '" + name + " --help' for more information.");
    return CanopyAgent.USAGE;
  }
}
