package org.canopymesh.naming.record;

import static org.canopymesh.naming.record.InvalidRecordException.Reason.MALFORMED_FIELD;

import java.util.regex.Pattern;

/**
 * A service a name offers, published as the DNS SRV record {@code _<service>._<proto>.<name>}.
 *
 * @param service an RFC 6335 service name: 1 to 15 of {@code a-z 0-9 -}, a letter among them, no
 *     hyphen at either end or twice in a row
 * @param protocol the transport
 * @param port 1 to 65535
 */
public record Service(String service, Protocol protocol, int port) {
  private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");
  private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  public Service {
    if (!isServiceName(service)) {
      throw new InvalidRecordException(
          MALFORMED_FIELD, "\"" + service + "\" is not an RFC 6335 service name");
    }
    if (port < 1 || port > 65535) {
      throw new InvalidRecordException(MALFORMED_FIELD, "port " + port + " is not 1 to 65535");
    }
  }

  /** Parses the command-line form {@code SERVICE:PROTO:PORT}, e.g. {@code http:tcp:80}. */
  public static Service parse(String spec) {
    String[] parts = spec.split(":", -1);
    if (parts.length != 3) {
      throw new InvalidRecordException(
          MALFORMED_FIELD,
          "a service is SERVICE:PROTO:PORT, e.g. http:tcp:80, not \"" + spec + "\"");
    }
    return of(parts[0], parts[1], parts[2]);
  }

  /** The service from the three words of a {@code srv} line. */
  static Service of(String service, String proto, String port) {
    Protocol p = Protocol.ofLabel(proto);
    if (p == null) {
      throw new InvalidRecordException(
          MALFORMED_FIELD, "protocol \"" + proto + "\" is not tcp or udp");
    }
    if (!PORT.matcher(port).matches()) {
      throw new InvalidRecordException(MALFORMED_FIELD, "\"" + port + "\" is not a port number");
    }
    return new Service(service, p, Integer.parseInt(port));
  }

  static boolean isServiceName(String s) {
    return s.length() >= 1
        && s.length() <= 15
        && SERVICE_NAME.matcher(s).matches()
        && s.chars().anyMatch(c -> c >= 'a' && c <= 'z');
  }

  /** The {@code srv} line of a record body, without the newline. */
  String line() {
    return "srv " + service + " " + protocol.label() + " " + port;
  }
}
