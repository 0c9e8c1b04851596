package org.canopymesh.agent.cli;

import java.nio.file.Path;
import org.canopymesh.naming.key.NodeKeys;
import org.canopymesh.naming.key.SigningKey;
import picocli.CommandLine.Option;

/** Where a command finds the node's private key: its Yggdrasil config or a key file. */
class KeyOptions {
  @Option(
      names = "--config",
      paramLabel = "YGG.conf",
      description = "the node's Yggdrasil config (HJSON or JSON); its PrivateKey is used")
  Path config;

  @Option(
      names = "--key-file",
      paramLabel = "FILE",
      description = "a key file: PEM (yggdrasil -exportkey) or hex seed[+public key]")
  Path keyFile;

  SigningKey load() {
    return config != null ? NodeKeys.fromYggdrasilConfig(config) : NodeKeys.fromKeyFile(keyFile);
  }
}
