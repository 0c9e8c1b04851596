package org.canopymesh.agent.cli;

import java.util.concurrent.Callable;
import org.canopymesh.naming.address.MeshipName;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.address.Subnet;
import org.canopymesh.naming.key.VerifyingKey;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "address",
    mixinStandardHelpOptions = true,
    description = {
      "Print a node's overlay address, its /64 subnet and its .meship name, one a line.",
      "The same address and subnet as 'yggdrasil -useconffile YGG.conf -address' and '-subnet'."
    })
final class AddressCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** The private key options, or a bare public key: exactly one. */
  static final class Source extends KeyOptions {
    @Option(names = "--key", paramLabel = "PUBHEX", description = "a public key, 64 hex digits")
    String publicKey;
  }

  @Override
  public Integer call() {
    VerifyingKey key =
        source.publicKey != null
            ? VerifyingKey.parseHex(source.publicKey)
            : source.load().verifyingKey();
    OverlayAddress address = OverlayAddress.forKey(key);
    var out = spec.commandLine().getOut();
    out.println(address);
    out.println(Subnet.forKey(key));
    out.println(MeshipName.of(address));
    return CanopyAgent.OK;
  }
}
