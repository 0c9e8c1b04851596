package org.canopymesh.agent.cli;

import java.nio.file.Path;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.config.ConfigReader;
import picocli.CommandLine.Option;

/** {@code --config FILE}: the agent's JSON config, shared by every agent command. */
final class ConfigOption {
  static final String DEFAULT = "/etc/canopy/agent.json";

  @Option(
      names = "--config",
      paramLabel = "FILE",
      defaultValue = DEFAULT,
      description = "the agent config (default: ${DEFAULT-VALUE}); 'genconf' writes one")
  Path file;

  AgentConfig load() {
    return ConfigReader.read(file);
  }
}
