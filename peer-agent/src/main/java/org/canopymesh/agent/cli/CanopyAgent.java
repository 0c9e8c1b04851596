package org.canopymesh.agent.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code canopy-agent}: the node's command line and daemon. Exit codes: 0 success, 1 the answer is
 * no (a record is invalid, a name does not resolve, too few mirrors accepted), 2 bad input, usage
 * or config, 70 an internal error. Errors are one line on stderr, never a stack trace.
 */
@Command(
    name = "canopy-agent",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Canopy peer agent: names over DNS, neighbour reports and records of a node.",
    subcommands = {
      AddressCommand.class,
      MeshipCommand.class,
      RecordCommand.class,
      GenconfCommand.class,
      RegisterCommand.class,
      UnregisterCommand.class,
      ResolveCommand.class,
      RunCommand.class,
      StatusCommand.class
    },
    synopsisSubcommandLabel = "COMMAND")
public final class CanopyAgent implements Callable<Integer> {
  /** Success. */
  public static final int OK = 0;

  /** The input was read but is not valid (a record that fails verification). */
  public static final int INVALID = 1;

  /** Bad arguments or unreadable input. */
  public static final int USAGE = 2;

  /** A bug: the message says what failed. */
  public static final int INTERNAL = 70;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(Clock.systemUTC(), args));
  }

  /** Runs with the process's stdout and stderr. */
  public static int run(Clock clock, String... args) {
    return commandLine(clock, new PrintWriter(System.out, true), new PrintWriter(System.err, true))
        .execute(args);
  }

  /** The configured command line; tests pass their own clock and writers. */
  public static CommandLine commandLine(Clock clock, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new CanopyAgent(), new Factory(clock));
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setParameterExceptionHandler(new UsageHandler());
    return cl;
  }

  /** Without a command: the usage on stderr, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  /** Hands the clock to the commands that need one. */
  private record Factory(Clock clock) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == RecordCommand.Sign.class) {
        return cls.cast(new RecordCommand.Sign(clock));
      }
      if (cls == RecordCommand.Verify.class) {
        return cls.cast(new RecordCommand.Verify(clock));
      }
      if (cls == RegisterCommand.class) {
        return cls.cast(new RegisterCommand(clock));
      }
      if (cls == UnregisterCommand.class) {
        return cls.cast(new UnregisterCommand(clock));
      }
      if (cls == RunCommand.class) {
        return cls.cast(new RunCommand(clock));
      }
      if (cls == ResolveCommand.class) {
        return cls.cast(new ResolveCommand(clock));
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }
}
