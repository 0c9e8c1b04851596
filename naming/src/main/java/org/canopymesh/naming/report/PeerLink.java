package org.canopymesh.naming.report;

import static org.canopymesh.naming.report.InvalidReportException.Reason.MALFORMED_FIELD;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.canopymesh.naming.key.VerifyingKey;

/**
 * One Yggdrasil peering of the reporting node: a {@code peer} line.
 *
 * @param key the peer's node key
 * @param kind local or overlay
 * @param state up, or down for a peering the node had and lost
 * @param latency the round trip if the node measured one, in whole microseconds (truncated)
 * @param remote how the peering is made, e.g. {@code tls://[fe80::1%25eth0]:38247}: 1 to {@value
 *     #MAX_REMOTE_LENGTH} visible ASCII characters, never {@code -}
 */
public record PeerLink(
    VerifyingKey key,
    PeerKind kind,
    LinkState state,
    Optional<Duration> latency,
    Optional<String> remote) {
  /** Long enough for any peering URI a node prints; keeps 256 peer lines inside a report. */
  public static final int MAX_REMOTE_LENGTH = 128;

  static final String WORD = "peer";
  private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern REMOTE =
      Pattern.compile("[\\x21-\\x7e]{1," + MAX_REMOTE_LENGTH + "}");

  public PeerLink {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    latency = Latencies.check("peer", latency);
    if (remote.isPresent()
        && (!REMOTE.matcher(remote.get()).matches() || remote.get().equals("-"))) {
      throw new InvalidReportException(
          MALFORMED_FIELD,
          "a peer's remote is 1 to "
              + MAX_REMOTE_LENGTH
              + " visible ASCII characters, not \""
              + MacAddress.shorten(remote.get())
              + "\"");
    }
  }

  /** Whether {@code remote} can be reported as it is. */
  public static boolean isReportableRemote(String remote) {
    return REMOTE.matcher(remote).matches() && !remote.equals("-");
  }

  String line() {
    return WORD
        + " "
        + key.toHex()
        + " "
        + kind.word()
        + " "
        + state.word()
        + " "
        + Latencies.format(latency)
        + " "
        + remote.orElse("-");
  }

  static PeerLink parse(String value) {
    String[] w = value.split(" ", -1);
    if (w.length != 5) {
      throw new InvalidReportException(
          MALFORMED_FIELD,
          "peer is \"peer <key> <local|overlay> <up|down> <latency ms|-> <remote|->\"");
    }
    if (!KEY.matcher(w[0]).matches()) {
      throw new InvalidReportException(
          MALFORMED_FIELD, "a peer key must be 64 lower-case hex digits");
    }
    PeerKind kind = PeerKind.ofWord(w[1]);
    LinkState state = LinkState.ofWord(w[2]);
    if (kind == null || state == null) {
      throw new InvalidReportException(
          MALFORMED_FIELD, "a peer is local or overlay, and up or down");
    }
    Optional<String> remote = w[4].equals("-") ? Optional.empty() : Optional.of(w[4]);
    return new PeerLink(
        VerifyingKey.parseHex(w[0]), kind, state, Latencies.parse("peer", w[3]), remote);
  }
}
