package org.canopymesh.agent.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.daemon.Agent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the agent: DNS for the zones, .meship and 200::/7 PTR from the verified log copy,",
      "sync with the mirrors, renewal of registered names, neighbour reports. Logs to stderr;",
      "stops cleanly on SIGTERM or Ctrl-C."
    })
final class RunCommand implements Callable<Integer> {
  private final Clock clock;

  @Mixin ConfigOption config;

  RunCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws InterruptedException {
    LogFormat.install();
    AgentConfig c = config.load();
    Agent agent = Agent.start(c, clock);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  stopped.countDown();
                },
                "canopy-shutdown"));
    stopped.await();
    return CanopyAgent.OK;
  }
}
