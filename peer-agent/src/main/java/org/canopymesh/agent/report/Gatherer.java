package org.canopymesh.agent.report;

/**
 * Looks at the node for one report. The agent's gatherer asks the Yggdrasil admin socket, batctl
 * and iw; tests give their own.
 */
@FunctionalInterface
public interface Gatherer {
  /**
   * Looks at the node now. Sources that fail become warnings, never exceptions; every call to the
   * outside is bounded in time.
   */
  Observation gather();
}
