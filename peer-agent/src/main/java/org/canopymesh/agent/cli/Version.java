package org.canopymesh.agent.cli;

import picocli.CommandLine;

/** The version from the jar manifest, or "development" when run from classes. */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = CanopyAgent.class.getPackage().getImplementationVersion();
    return new String[] {"canopy-agent " + (v == null ? "development" : v)};
  }
}
