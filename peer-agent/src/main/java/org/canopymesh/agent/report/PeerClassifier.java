package org.canopymesh.agent.report;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.canopymesh.naming.report.PeerKind;
import org.canopymesh.naming.report.PeerLink;

/**
 * Tells local peerings from overlay ones by the remote address Yggdrasil shows (DESIGN.md
 * "Topology, islands, live links"): link-local (fe80::/10, 169.254/16) and LAN ranges (10/8,
 * 172.16/12, 192.168/16, fc00::/7) are local. Multicast-discovered peerings need no rule of their
 * own: 0.4 and 0.5 dial them at the neighbour's link-local address ({@code
 * tls://[fe80::…%eth0]:port}). Host names are never resolved (a report must not wait on DNS) and
 * count as overlay, as do loopback (a local proxy or tunnel to somewhere else) and Unix sockets.
 */
final class PeerClassifier {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

  private PeerClassifier() {}

  static PeerKind kind(Optional<String> remote) {
    return remote.flatMap(PeerClassifier::literalHost).filter(PeerClassifier::isLocal).isPresent()
        ? PeerKind.LOCAL
        : PeerKind.OVERLAY;
  }

  /**
   * The remote as a report may show it: without user info, query or fragment (0.4 may show a
   * configured {@code ?password=}), and only if it fits the format.
   */
  static Optional<String> reportable(Optional<String> remote) {
    return remote.map(PeerClassifier::strip).filter(PeerLink::isReportableRemote);
  }

  private static String strip(String uri) {
    int cut = indexOfAny(uri, "?#");
    String s = cut < 0 ? uri : uri.substring(0, cut);
    int scheme = s.indexOf("://");
    if (scheme < 0) {
      return s;
    }
    int start = scheme + 3;
    int end = indexOfAny(s.substring(start), "/");
    String authority = end < 0 ? s.substring(start) : s.substring(start, start + end);
    int at = authority.lastIndexOf('@');
    return at < 0 ? s : s.substring(0, start) + s.substring(start + at + 1);
  }

  /** The IP literal a remote URI names, if it names one. */
  static Optional<InetAddress> literalHost(String uri) {
    String s = strip(uri);
    int scheme = s.indexOf("://");
    if (scheme < 0) {
      return Optional.empty();
    }
    String authority = s.substring(scheme + 3);
    int slash = authority.indexOf('/');
    if (slash >= 0) {
      authority = authority.substring(0, slash);
    }
    String host;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        return Optional.empty();
      }
      host = authority.substring(1, close).replace("%25", "%");
      int zone = host.indexOf('%');
      host = zone < 0 ? host : host.substring(0, zone);
      if (!IPV6.matcher(host).matches()) {
        return Optional.empty();
      }
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      if (!IPV4.matcher(host).matches()) {
        return Optional.empty(); // a name: never resolved
      }
    }
    try {
      return Optional.of(InetAddress.getByName(host)); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  static boolean isLocal(InetAddress a) {
    byte[] b = a.getAddress();
    boolean ula = b.length == 16 && (b[0] & 0xfe) == 0xfc;
    // isSiteLocalAddress: 10/8, 172.16/12, 192.168/16 (and the retired fec0::/10).
    return a.isLinkLocalAddress() || a.isSiteLocalAddress() || ula;
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
