package org.canopymesh.map.testing;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.report.L2Neighbour;
import org.canopymesh.naming.report.L2Protocol;
import org.canopymesh.naming.report.LinkState;
import org.canopymesh.naming.report.Location;
import org.canopymesh.naming.report.MacAddress;
import org.canopymesh.naming.report.PeerKind;
import org.canopymesh.naming.report.PeerLink;
import org.canopymesh.naming.report.ReportNote;

/** Signed {@code canopy-report/v1} notes made with the naming library, as an agent makes them. */
public final class Reports {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Reports() {}

  /** A node: its key and the sequence numbers it has used. */
  public static final class Node {
    private final SigningKey key;
    private long seq;
    private Location location;
    private String island;
    private final List<PeerLink> peers = new ArrayList<>();
    private final List<L2Neighbour> neighbours = new ArrayList<>();
    private final List<MacAddress> macs = new ArrayList<>();

    Node(SigningKey key) {
      this.key = key;
    }

    public String key() {
      return key.verifyingKey().toHex();
    }

    public String address() {
      return OverlayAddress.forKey(key.verifyingKey()).toString();
    }

    public SigningKey signingKey() {
      return key;
    }

    public Node at(double lat, double lon) {
      location = Location.ofDegrees(lat, lon);
      return this;
    }

    public Node island(String name) {
      island = name;
      return this;
    }

    public Node mac(String mac) {
      macs.add(MacAddress.parse(mac));
      return this;
    }

    /** Replaces the peers and neighbours of the next reports. */
    public Node clearLinks() {
      peers.clear();
      neighbours.clear();
      return this;
    }

    public Node peer(Node other, PeerKind kind, LinkState state, Duration latency) {
      peers.add(
          new PeerLink(
              other.key.verifyingKey(),
              kind,
              state,
              Optional.ofNullable(latency),
              Optional.of(
                  kind == PeerKind.LOCAL
                      ? "tls://[fe80::1%25wlan0]:1234"
                      : "tls://203.0.113.7:443")));
      return this;
    }

    public Node neighbour(String mac, double quality, Duration latency) {
      neighbours.add(
          new L2Neighbour(
              MacAddress.parse(mac), L2Protocol.BATMAN, quality, Optional.ofNullable(latency)));
      return this;
    }

    /** The next report, signed, timed {@code time}. */
    public String report(Instant time) {
      return note(++seq, time);
    }

    /** A report with a chosen sequence number (for replays). */
    public String note(long seq, Instant time) {
      ReportNote r =
          new ReportNote(
              key.verifyingKey(),
              seq,
              time,
              Optional.ofNullable(location),
              Optional.ofNullable(island),
              List.copyOf(peers),
              List.copyOf(neighbours),
              List.copyOf(macs));
      return r.sign(key).format();
    }

    public long seq() {
      return seq;
    }
  }

  public static Node node() {
    return new Node(SigningKey.generate(RANDOM));
  }

  /** Whole seconds, as reports carry. */
  public static Instant now() {
    return Instant.ofEpochSecond(Instant.now().getEpochSecond());
  }
}
