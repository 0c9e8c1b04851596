package org.canopymesh.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.canopymesh.agent.json.JsonException;
import org.canopymesh.agent.json.JsonTree;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.note.VerifierKey;
import org.canopymesh.naming.record.RecordRules;

/**
 * Reads an agent config: the file's fields over the defaults of {@code default-agent.json} (the
 * text {@code genconf} prints, so the printed defaults are the real ones). Unknown fields are
 * refused, so that a misspelt field does not silently fall back to its default.
 */
public final class ConfigReader {
  static final String DEFAULT_RESOURCE = "default-agent.json";
  private static final Set<String> FIELDS =
      Set.of(
          "admin",
          "yggdrasilConfig",
          "keyFile",
          "zones",
          "dnsListen",
          "mirrors",
          "quorum",
          "syncInterval",
          "reportTo",
          "reportInterval",
          "stateDir",
          "upstream",
          "location",
          "island",
          "statusListen",
          "batmanInterface",
          "meshInterfaces");

  private final Map<String, Object> fields;

  private ConfigReader(Map<String, Object> fields) {
    this.fields = fields;
  }

  /** The commented default config, as {@code genconf} prints it. */
  public static String defaultText() {
    try (InputStream in = ConfigReader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static AgentConfig defaults() {
    return merge(Map.of(), defaultText().getBytes(StandardCharsets.UTF_8));
  }

  /** Reads {@code file}; a {@link ConfigException} names the file, the field and the problem. */
  public static AgentConfig read(Path file) {
    byte[] bytes;
    try {
      if (Files.size(file) > JsonTree.Limits.CONFIG.maxBytes()) {
        throw new ConfigException("", file + " is over 1 MiB; is it the right file?");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          "", file + " does not exist; write one with: canopy-agent genconf > " + file);
    } catch (IOException e) {
      throw new ConfigException("", "cannot read " + file + ": " + e.getMessage());
    }
    try {
      return parse(bytes);
    } catch (ConfigException e) {
      throw new ConfigException(file, e);
    }
  }

  /** Parses a config document over the defaults. */
  public static AgentConfig parse(byte[] json) {
    return merge(DEFAULT_FIELDS, json);
  }

  private static AgentConfig merge(Map<String, Object> base, byte[] json) {
    Object tree;
    try {
      tree = JsonTree.parse(json, JsonTree.Limits.CONFIG);
    } catch (JsonException e) {
      throw new ConfigException("", "not valid JSON: " + e.getMessage());
    }
    if (!(tree instanceof Map<?, ?> m)) {
      throw new ConfigException("", "must be a JSON object { ... }");
    }
    Map<String, Object> merged = new LinkedHashMap<>(base);
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String name = (String) e.getKey();
      if (!FIELDS.contains(name)) {
        throw new ConfigException(name, "unknown field; canopy-agent genconf lists them all");
      }
      merged.put(name, e.getValue());
    }
    return new ConfigReader(merged).build();
  }

  @SuppressWarnings("unchecked")
  private static final Map<String, Object> DEFAULT_FIELDS =
      (Map<String, Object>)
          JsonTree.parse(defaultText().getBytes(StandardCharsets.UTF_8), JsonTree.Limits.CONFIG);

  private AgentConfig build() {
    List<String> zones = list("zones", ConfigReader::zone);
    if (zones.isEmpty()) {
      throw new ConfigException("zones", "needs at least one zone, e.g. [\"mesh.alt\"]");
    }
    List<AgentConfig.Mirror> mirrors = list("mirrors", ConfigReader::mirror);
    int quorum = quorum(mirrors.size());
    return new AgentConfig(
        uri("admin", Set.of("unix", "tcp")),
        path("yggdrasilConfig").orElseThrow(() -> missing("yggdrasilConfig")),
        path("keyFile"),
        zones,
        list("dnsListen", ConfigReader::socketAddress),
        mirrors,
        quorum,
        duration("syncInterval"),
        list("reportTo", (f, v) -> httpUrl(f, string(f, v))),
        duration("reportInterval"),
        path("stateDir").orElseThrow(() -> missing("stateDir")),
        optional("upstream").map(v -> socketAddress("upstream", v)),
        optional("location").map(v -> location("location", v)),
        optional("island").map(v -> island(string("island", v))),
        loopback("statusListen", socketAddress("statusListen", required("statusListen"))),
        optional("batmanInterface").map(v -> interfaceName("batmanInterface", v)),
        list("meshInterfaces", ConfigReader::interfaceName));
  }

  private int quorum(int mirrors) {
    Optional<Object> q = optional("quorum");
    if (q.isEmpty()) {
      return mirrors / 2 + 1;
    }
    if (!(q.get() instanceof Long k) || k < 1) {
      throw new ConfigException("quorum", "must be a whole number from 1, or null for a majority");
    }
    if (mirrors > 0 && k > mirrors) {
      throw new ConfigException(
          "quorum", k + " cannot be met by " + mirrors + " mirror" + (mirrors == 1 ? "" : "s"));
    }
    return k.intValue();
  }

  private static ConfigException missing(String field) {
    return new ConfigException(field, "must be set");
  }

  private Object required(String field) {
    return optional(field).orElseThrow(() -> missing(field));
  }

  private Optional<Object> optional(String field) {
    return Optional.ofNullable(fields.get(field));
  }

  private <T> List<T> list(String field, BiFunction<String, Object, T> element) {
    Object v = fields.get(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> items)) {
      throw new ConfigException(field, "must be a list [ ... ]");
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String f = field + "[" + i + "]";
      if (items.get(i) == null) {
        throw new ConfigException(f, "must not be null");
      }
      out.add(element.apply(f, items.get(i)));
    }
    return out;
  }

  private static String string(String field, Object v) {
    if (!(v instanceof String s) || s.isBlank()) {
      throw new ConfigException(field, "must be a non-empty string");
    }
    return s;
  }

  private Optional<Path> path(String field) {
    return optional(field).map(v -> Path.of(string(field, v)));
  }

  private Duration duration(String field) {
    String s = string(field, required(field));
    try {
      return AgentConfig.positive(Durations.parse(s), field);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(field, e.getMessage());
    }
  }

  private URI uri(String field, Set<String> schemes) {
    String s = string(field, required(field));
    try {
      URI u = new URI(s);
      if (u.getScheme() == null || !schemes.contains(u.getScheme())) {
        throw new ConfigException(field, "\"" + s + "\" must start with one of " + schemes);
      }
      return u;
    } catch (URISyntaxException e) {
      throw new ConfigException(field, "\"" + s + "\" is not a URI: " + e.getReason());
    }
  }

  private static URI httpUrl(String field, String s) {
    try {
      URI u = new URI(s);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new ConfigException(field, "\"" + s + "\" must be an http:// or https:// URL");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new ConfigException(field, "\"" + s + "\" is not a URL: " + e.getReason());
    }
  }

  private static String zone(String field, Object v) {
    String z = string(field, v);
    try {
      return RecordRules.forZones(List.of(z)).zones().get(0);
    } catch (IllegalArgumentException | NamingException e) {
      throw new ConfigException(field, e.getMessage());
    }
  }

  private static AgentConfig.Mirror mirror(String field, Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new ConfigException(field, "must be {\"url\": ..., \"key\": ...}");
    }
    for (Object k : m.keySet()) {
      if (!"url".equals(k) && !"key".equals(k)) {
        throw new ConfigException(field + "." + k, "unknown field; a mirror has url and key");
      }
    }
    URI url = httpUrl(field + ".url", string(field + ".url", m.get("url")));
    String key = string(field + ".key", m.get("key"));
    try {
      return new AgentConfig.Mirror(url, VerifierKey.parse(key));
    } catch (RuntimeException e) {
      throw new ConfigException(
          field + ".key", "is not a verifier key (GET <mirror>/api/v1/mirror shows it)");
    }
  }

  /** {@code host:port}, {@code [v6]:port}; hosts are literal addresses or resolvable names. */
  static InetSocketAddress socketAddress(String field, Object v) {
    String s = string(field, v);
    int colon = s.lastIndexOf(':');
    if (colon < 1 || colon == s.length() - 1) {
      throw new ConfigException(field, "\"" + s + "\" must be host:port, e.g. 127.0.0.1:53");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new ConfigException(field, "\"" + s + "\": write an IPv6 host in brackets, [::1]:53");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException(field, "\"" + s + "\" has no port from 0 to 65535");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new ConfigException(field, "\"" + host + "\" is not an address or known host");
    }
  }

  private static InetSocketAddress loopback(String field, InetSocketAddress a) {
    if (!a.getAddress().isLoopbackAddress()) {
      throw new ConfigException(
          field, "must be on 127.0.0.1 or [::1]: the status port is for this machine only");
    }
    return a;
  }

  private static AgentConfig.Location location(String field, Object v) {
    if (!(v instanceof Map<?, ?> m)
        || !(m.get("lat") instanceof Number lat)
        || !(m.get("lon") instanceof Number lon)
        || m.size() != 2) {
      throw new ConfigException(field, "must be {\"lat\": <degrees>, \"lon\": <degrees>} or null");
    }
    try {
      return new AgentConfig.Location(lat.doubleValue(), lon.doubleValue());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(field, e.getMessage());
    }
  }

  private static String island(String s) {
    String t = s.strip();
    if (t.length() > 64 || t.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new ConfigException("island", "must be at most 64 printable characters");
    }
    return t;
  }

  private static String interfaceName(String field, Object v) {
    String s = string(field, v);
    if (!s.matches("[A-Za-z0-9_.:-]{1,15}")) {
      throw new ConfigException(field, "\"" + s + "\" is not a network interface name");
    }
    return s;
  }
}
