package org.canopymesh.agent.mirror;

import java.net.URI;
import org.canopymesh.agent.AgentException;

/** A mirror that could not be asked, or whose answer was not the mirror API's. */
public final class MirrorException extends AgentException {
  private static final long serialVersionUID = 1L;
  private final URI mirror;
  private final boolean unreachable;

  MirrorException(URI mirror, boolean unreachable, String problem) {
    super(problem);
    this.mirror = mirror;
    this.unreachable = unreachable;
  }

  static MirrorException unreachable(URI mirror, String problem) {
    return new MirrorException(mirror, true, problem);
  }

  static MirrorException badAnswer(URI mirror, String problem) {
    return new MirrorException(mirror, false, problem);
  }

  /** Whether it could not be asked (network, timeout, HTTP error) rather than answered wrongly. */
  public boolean unreachable() {
    return unreachable;
  }

  public URI mirror() {
    return mirror;
  }
}
