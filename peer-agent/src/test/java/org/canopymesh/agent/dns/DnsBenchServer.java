package org.canopymesh.agent.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.canopymesh.agent.names.NameSource;
import org.canopymesh.agent.names.ServedName;
import org.canopymesh.naming.address.OverlayAddress;

/**
 * The DNS server with a synthetic zone, for {@code peer-agent/bench/dns}: {@code n0.mesh.alt} to
 * {@code n<N-1>.mesh.alt}, each with an AAAA. It can also write the same zone as a zone file for
 * Knot and the dnsperf query file, so that both servers answer exactly the same names.
 *
 * <pre>
 * DnsBenchServer serve HOST PORT NAMES
 * DnsBenchServer files NAMES ZONEFILE QUERYFILE
 * </pre>
 */
public final class DnsBenchServer {
  static final String ZONE = "mesh.alt";

  private DnsBenchServer() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length == 4 && args[0].equals("serve")) {
      serve(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    } else if (args.length == 4 && args[0].equals("files")) {
      files(Integer.parseInt(args[1]), Path.of(args[2]), Path.of(args[3]));
    } else {
      System.err.println(
          "usage: DnsBenchServer serve HOST PORT NAMES | files NAMES ZONEFILE QUERYFILE");
      System.exit(2);
    }
  }

  static List<ServedName> names(int n, Instant expires) {
    List<ServedName> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(new ServedName("n" + i + "." + ZONE, address(i), List.of(), List.of(), expires));
    }
    return names;
  }

  static OverlayAddress address(int i) {
    return new OverlayAddress(0x0200_1234_0000_0000L | i, 0x1000L + i);
  }

  private static void serve(String host, int port, int n) throws InterruptedException {
    NameSource names = NameSource.of(names(n, Instant.now().plus(Duration.ofDays(30))));
    DnsSettings settings =
        DnsSettings.of(List.of(new InetSocketAddress(host, port)), List.of(ZONE), Optional.empty());
    DnsServer server = DnsServer.start(settings, () -> names, Clock.systemUTC());
    System.out.println("listening " + server.udpAddresses());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    new CountDownLatch(1).await();
  }

  private static void files(int n, Path zoneFile, Path queryFile) throws IOException {
    StringBuilder zone = new StringBuilder();
    zone.append("$ORIGIN ").append(ZONE).append(".\n$TTL 300\n");
    zone.append("@ SOA @ hostmaster 1 3600 600 86400 60\n");
    zone.append("@ NS ns\nns AAAA ::1\n");
    StringBuilder queries = new StringBuilder();
    for (int i = 0; i < n; i++) {
      zone.append("n").append(i).append(" AAAA ").append(address(i)).append('\n');
      queries.append("n").append(i).append('.').append(ZONE).append(" AAAA\n");
    }
    Files.writeString(zoneFile, zone);
    Files.writeString(queryFile, queries);
  }
}
