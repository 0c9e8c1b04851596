package org.canopymesh.agent.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.canopymesh.naming.key.NodeKeys;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.note.VerifierKey;
import org.canopymesh.naming.record.DnsNames;
import org.canopymesh.naming.record.RecordRules;

/**
 * The agent's whole configuration: one JSON file whose field names are fixed (operators' configs
 * and scripts depend on them). {@link ConfigReader} reads it; {@code canopy-agent genconf} prints
 * every field with its default and a comment.
 *
 * @param admin the local Yggdrasil admin endpoint, {@code unix:///path} or {@code tcp://host:port}
 * @param yggdrasilConfig the node's Yggdrasil config, read for the node key
 * @param keyFile a key file to use instead of the key in {@code yggdrasilConfig}
 * @param zones the name zones served and registered into; the first is the default zone
 * @param dnsListen the DNS server's addresses, UDP and TCP on each
 * @param mirrors the naming mirrors to sync from and register with, each with its verifier key
 * @param quorum how many mirrors must agree on a name's owner (k of n)
 * @param syncInterval how often the log copy is brought up to date
 * @param reportTo the map services that receive neighbour reports
 * @param reportInterval how often the node reports its neighbours
 * @param stateDir where the verified log copy, the report queue and registered records live
 * @param upstream a resolver for names outside the zones; without it they are REFUSED
 * @param location a location to publish in reports
 * @param island an island name to publish in reports
 * @param statusListen the local-only HTTP port of {@code canopy-agent status}
 * @param batmanInterface a batman-adv mesh interface whose neighbours are reported
 * @param meshInterfaces 802.11s interfaces whose stations are reported
 */
public record AgentConfig(
    URI admin,
    Path yggdrasilConfig,
    Optional<Path> keyFile,
    List<String> zones,
    List<InetSocketAddress> dnsListen,
    List<Mirror> mirrors,
    int quorum,
    Duration syncInterval,
    List<URI> reportTo,
    Duration reportInterval,
    Path stateDir,
    Optional<InetSocketAddress> upstream,
    Optional<Location> location,
    Optional<String> island,
    InetSocketAddress statusListen,
    Optional<String> batmanInterface,
    List<String> meshInterfaces) {

  public AgentConfig {
    zones = List.copyOf(zones);
    dnsListen = List.copyOf(dnsListen);
    mirrors = List.copyOf(mirrors);
    reportTo = List.copyOf(reportTo);
    meshInterfaces = List.copyOf(meshInterfaces);
  }

  /**
   * Reads the node key: from {@code keyFile} when set, else from {@code yggdrasilConfig}.
   *
   * @throws org.canopymesh.naming.NamingException if it is unreadable or malformed
   */
  public SigningKey nodeKey() {
    return keyFile.isPresent()
        ? NodeKeys.fromKeyFile(keyFile.get())
        : NodeKeys.fromYggdrasilConfig(yggdrasilConfig);
  }

  /**
   * {@code name} as a full, canonical name inside one of the zones: a bare label gets the default
   * zone ({@code wiki} → {@code wiki.mesh.alt}); case, a trailing dot and IDNA are normalised.
   *
   * @throws org.canopymesh.naming.record.InvalidRecordException if it is malformed or outside the
   *     zones
   */
  public String qualify(String name) {
    String n = DnsNames.normalize(name);
    String full = n.contains(".") ? n : n + "." + defaultZone();
    RecordRules.forZones(zones).checkZone(full);
    return full;
  }

  /** The zone a bare label is registered into. */
  public String defaultZone() {
    return zones.get(0);
  }

  /**
   * A naming mirror.
   *
   * @param url its base URL, e.g. {@code http://[200:…]:8081}
   * @param key its verifier key, {@code <origin>+<key id>+<base64>}
   */
  public record Mirror(URI url, VerifierKey key) {
    /** The mirror's log origin, which names it in logs and {@code status}. */
    public String origin() {
      return key.name();
    }
  }

  /** A published location in degrees (WGS 84). */
  public record Location(double lat, double lon) {
    public Location {
      if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
        throw new IllegalArgumentException(
            "a location is lat -90..90 and lon -180..180, not " + lat + ", " + lon);
      }
    }
  }

  /** The default of every field; what {@code genconf} prints. */
  public static AgentConfig defaults() {
    return ConfigReader.defaults();
  }

  /** The config with another state directory (tests and the demo run several agents). */
  public AgentConfig withStateDir(Path dir) {
    return copy(mirrors, quorum, dir);
  }

  /** The config with other mirrors and quorum. */
  public AgentConfig withMirrors(List<Mirror> mirrors, int quorum) {
    return copy(mirrors, quorum, stateDir);
  }

  private AgentConfig copy(List<Mirror> mirrors, int quorum, Path stateDir) {
    return new AgentConfig(
        admin,
        yggdrasilConfig,
        keyFile,
        zones,
        dnsListen,
        mirrors,
        quorum,
        syncInterval,
        reportTo,
        reportInterval,
        stateDir,
        upstream,
        location,
        island,
        statusListen,
        batmanInterface,
        meshInterfaces);
  }

  static Duration positive(Duration d, String field) {
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(field, "must be longer than zero");
    }
    return d;
  }
}
