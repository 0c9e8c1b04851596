package org.canopymesh.agent.cli;

import org.canopymesh.agent.AgentException;
import org.canopymesh.agent.config.ConfigException;
import org.canopymesh.agent.dns.DnsBindException;
import org.canopymesh.naming.NamingException;
import picocli.CommandLine;

/** Turns what a command throws into one line on stderr and an exit code. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    String name = cl.getCommandSpec().qualifiedName();
    if (e instanceof UserError
        || e instanceof NamingException
        || e instanceof ConfigException
        || e instanceof DnsBindException) {
      cl.getErr().println(name + ": " + e.getMessage());
      return CanopyAgent.USAGE;
    }
    if (e instanceof AgentException) {
      cl.getErr().println(name + ": " + e.getMessage());
      return CanopyAgent.INVALID;
    }
    cl.getErr().println(name + ": internal error: " + e);
    return CanopyAgent.INTERNAL;
  }
}
