package org.canopymesh.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.note.SignatureType;
import org.canopymesh.naming.note.VerifierKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {
  static final String VKEY =
      new VerifierKey(
              "mesh.alt/mirror/0a1b2c3d4e5f",
              SignatureType.ED25519,
              SigningKey.generate(new SecureRandom()).verifyingKey())
          .toString();

  static AgentConfig parse(String json) {
    return ConfigReader.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  static String problem(String json) {
    return assertThrows(ConfigException.class, () -> parse(json)).getMessage();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    AgentConfig c = AgentConfig.defaults();
    assertEquals(URI.create("unix:///var/run/yggdrasil/yggdrasil.sock"), c.admin());
    assertEquals(List.of("mesh.alt"), c.zones());
    assertEquals(
        List.of(new InetSocketAddress("127.0.0.1", 53), new InetSocketAddress("::1", 53)),
        c.dnsListen());
    assertEquals(Duration.ofSeconds(60), c.syncInterval());
    assertEquals(Duration.ofSeconds(30), c.reportInterval());
    assertEquals(Path.of("/var/lib/canopy-agent"), c.stateDir());
    assertEquals(Optional.empty(), c.upstream());
    assertEquals(List.of(), c.mirrors());
    assertEquals(new InetSocketAddress("127.0.0.1", 5380), c.statusListen());
  }

  @Test
  void theGenconfTextParsesToTheDefaults() {
    assertEquals(AgentConfig.defaults(), parse(ConfigReader.defaultText()));
  }

  @Test
  void anEmptyObjectIsTheDefaults() {
    assertEquals(AgentConfig.defaults(), parse("{}"));
  }

  @Test
  void readsEveryField() {
    AgentConfig c =
        parse(
            """
            {
              // a comment
              "admin": "tcp://127.0.0.1:9001",
              "yggdrasilConfig": "/etc/ygg.conf",
              "keyFile": "/etc/node.key",
              "zones": ["Mesh.Alt", "mesh.example"],
              "dnsListen": ["127.0.0.1:5353", "[::1]:5353"],
              "mirrors": [
                {"url": "http://[200::1]:8081", "key": "%s"},
                {"url": "http://m2.example:8081/", "key": "%s"},
                {"url": "https://m3.example", "key": "%s"}
              ],
              "syncInterval": "15m",
              "reportTo": ["http://map.example:8080"],
              "reportInterval": "45s",
              "stateDir": "/tmp/agent",
              "upstream": "127.0.0.1:5300",
              "location": {"lat": 52.52, "lon": 13.405},
              "island": "Kreuzberg",
              "statusListen": "127.0.0.1:5381",
              "batmanInterface": "bat0",
              "meshInterfaces": ["mesh0"]
            }
            """
                .formatted(VKEY, VKEY, VKEY));
    assertEquals(List.of("mesh.alt", "mesh.example"), c.zones());
    assertEquals(3, c.mirrors().size());
    assertEquals(2, c.quorum(), "a majority of 3 by default");
    assertEquals(Duration.ofMinutes(15), c.syncInterval());
    assertEquals(Optional.of(new AgentConfig.Location(52.52, 13.405)), c.location());
    assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 5300)), c.upstream());
    assertEquals(Optional.of("bat0"), c.batmanInterface());
    assertEquals("wiki.mesh.alt", c.qualify("Wiki"));
    assertEquals("wiki.mesh.example", c.qualify("wiki.mesh.example."));
  }

  @Test
  void namesTheFieldThatIsWrong() {
    assertTrue(problem("{\"syncInterval\": \"soon\"}").startsWith("field \"syncInterval\": "));
    assertTrue(problem("{\"mirorrs\": []}").contains("\"mirorrs\": unknown field"));
    assertTrue(problem("{\"dnsListen\": [\"127.0.0.1\"]}").contains("\"dnsListen[0]\""));
    assertTrue(problem("{\"dnsListen\": [\"::1:53\"]}").contains("brackets"));
    assertTrue(problem("{\"admin\": \"http://x\"}").contains("\"admin\""));
    assertTrue(
        problem("{\"mirrors\": [{\"url\": \"http://m\", \"key\": \"nope\"}]}")
            .contains("\"mirrors[0].key\""));
    assertTrue(problem("{\"mirrors\": [{\"url\": \"ftp://m\", \"key\": \"x\"}]}").contains("url"));
    assertTrue(problem("{\"location\": {\"lat\": 91, \"lon\": 0}}").contains("\"location\""));
    assertTrue(problem("{\"zones\": []}").contains("\"zones\""));
    assertTrue(problem("{\"zones\": [\"bad zone\"]}").contains("\"zones[0]\""));
    assertTrue(problem("{\"quorum\": 0}").contains("\"quorum\""));
    assertTrue(problem("{\"syncInterval\": \"0s\"}").contains("longer than zero"));
    assertTrue(problem("{\"meshInterfaces\": [\"../../etc\"]}").contains("interface"));
  }

  @Test
  void refusesAQuorumTheMirrorsCannotMeet() {
    String one = "[{\"url\": \"http://m\", \"key\": \"%s\"}]".formatted(VKEY);
    assertTrue(problem("{\"mirrors\": " + one + ", \"quorum\": 2}").contains("cannot be met"));
  }

  @Test
  void refusesMalformedJsonAndDuplicateFields() {
    assertTrue(problem("{\"zones\": [").startsWith("not valid JSON"));
    assertTrue(problem("[]").contains("object"));
    assertTrue(problem("{\"island\": \"a\", \"island\": \"b\"}").contains("twice"));
  }

  @Test
  void aMissingFileSaysHowToWriteOne(@TempDir Path dir) {
    Path f = dir.resolve("agent.json");
    String m = assertThrows(ConfigException.class, () -> ConfigReader.read(f)).getMessage();
    assertTrue(m.contains("genconf"), m);
  }

  @Test
  void anErrorInAFileNamesTheFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("agent.json");
    Files.writeString(f, "{\"reportInterval\": 30}");
    String m = assertThrows(ConfigException.class, () -> ConfigReader.read(f)).getMessage();
    assertEquals(f + ": field \"reportInterval\": must be a non-empty string", m);
  }
}
