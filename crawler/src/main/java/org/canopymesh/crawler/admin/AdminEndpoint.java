package org.canopymesh.crawler.admin;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a Yggdrasil admin socket listens: {@code tcp://host:port} or {@code unix:///path.sock}, as
 * in Yggdrasil's {@code AdminListen}.
 *
 * @param uri the endpoint as configured
 * @param host TCP host, or {@code null} for a Unix socket
 * @param port TCP port, or 0
 * @param path Unix socket path, or {@code null}
 */
public record AdminEndpoint(String uri, String host, int port, String path) {
  public static AdminEndpoint parse(String uri) {
    URI u;
    try {
      u = new URI(uri.strip());
    } catch (URISyntaxException e) {
      throw new AdminException(AdminException.Kind.CONNECT, bad(uri));
    }
    if ("tcp".equals(u.getScheme()) && u.getHost() != null && u.getPort() > 0) {
      String host =
          u.getHost().startsWith("[")
              ? u.getHost().substring(1, u.getHost().length() - 1)
              : u.getHost();
      return new AdminEndpoint(uri, host, u.getPort(), null);
    }
    if ("unix".equals(u.getScheme()) && u.getPath() != null && !u.getPath().isEmpty()) {
      return new AdminEndpoint(uri, null, 0, u.getPath());
    }
    throw new AdminException(AdminException.Kind.CONNECT, bad(uri));
  }

  public boolean isUnix() {
    return path != null;
  }

  private static String bad(String uri) {
    return "admin endpoint \""
        + uri
        + "\" is not tcp://host:port or unix:///path/to/yggdrasil.sock";
  }

  @Override
  public String toString() {
    return uri;
  }
}
