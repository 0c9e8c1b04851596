package org.canopymesh.agent.dns;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import org.canopymesh.agent.AgentException;

/** The DNS server could not listen on an address; the message says why and what to do. */
public final class DnsBindException extends AgentException {
  private static final long serialVersionUID = 1L;
  private static final int FIRST_UNPRIVILEGED_PORT = 1024;

  private final InetSocketAddress address;

  private DnsBindException(InetSocketAddress address, String message, Throwable cause) {
    super(message, cause);
    this.address = address;
  }

  /** The address that could not be bound. */
  public InetSocketAddress address() {
    return address;
  }

  /**
   * The exception for a failed bind of {@code address} over {@code protocol} ("UDP" or "TCP"); the
   * operating system's reason is read from {@code cause}'s message, the same for NIO and epoll.
   */
  static DnsBindException of(InetSocketAddress address, String protocol, Throwable cause) {
    String where = text(address);
    String reason = String.valueOf(cause.getMessage());
    String message;
    if (reason.contains("Permission denied") && address.getPort() < FIRST_UNPRIVILEGED_PORT) {
      message =
          "binding "
              + where
              + " needs privilege: run as root, give the agent CAP_NET_BIND_SERVICE (systemd"
              + " AmbientCapabilities=CAP_NET_BIND_SERVICE), or set dnsListen to a port above 1023";
    } else if (reason.contains("already in use")) {
      message =
          where
              + " ("
              + protocol
              + ") is already in use: another DNS server (systemd-resolved, dnsmasq, a second"
              + " agent) listens there; stop it or set dnsListen to another address";
    } else if (reason.contains("assign requested address")) {
      message = where + " is not an address of this machine; set dnsListen to one of its own";
    } else {
      message = "cannot listen on " + where + " (" + protocol + "): " + reason;
    }
    return new DnsBindException(address, message, cause);
  }

  /** {@code 127.0.0.1:53}, {@code [::1]:53}: how dnsListen spells it. */
  static String text(InetSocketAddress a) {
    return NetUtil.toSocketAddressString(a);
  }
}
