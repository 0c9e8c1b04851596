package org.canopymesh.naming.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.canopymesh.naming.Vectors;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.address.Subnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeKeysTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"genconf-0.4.7.hjson", "genconf-0.4.7.json"})
  void loadsKeyFromConfigAsYggdrasilGenconfWritesIt(String file) {
    SigningKey key = NodeKeys.fromYggdrasilConfig(Vectors.path("yggdrasil/" + file));

    String[] expected = Vectors.text("yggdrasil/" + file + ".address").split("\n");
    assertEquals(expected[0], OverlayAddress.forKey(key.verifyingKey()).toString());
    assertEquals(expected[1], Subnet.forKey(key.verifyingKey()).toString());
  }

  @Test
  void rejectsConfigWhosePrivateKeyHalvesDisagree() throws IOException {
    SigningKey a = SigningKey.generate(new SecureRandom());
    SigningKey b = SigningKey.generate(new SecureRandom());
    String hex = hex(a.seed()) + b.verifyingKey().toHex();
    Path conf = write("{\n  PrivateKey: " + hex + "\n}\n");

    KeyFormatException e =
        assertThrows(KeyFormatException.class, () -> NodeKeys.fromYggdrasilConfig(conf));
    assertTrue(e.getMessage().startsWith("PrivateKey: "), e.getMessage());
  }

  @Test
  void rejectsConfigWhosePublicKeyIsNotThePrivateKeys() throws IOException {
    SigningKey a = SigningKey.generate(new SecureRandom());
    SigningKey b = SigningKey.generate(new SecureRandom());
    Path conf =
        write(
            "{\"PrivateKey\": \""
                + hex(a.seed())
                + a.verifyingKey().toHex()
                + "\", \"PublicKey\": \""
                + b.verifyingKey().toHex()
                + "\"}");

    assertThrows(KeyFormatException.class, () -> NodeKeys.fromYggdrasilConfig(conf));
  }

  @Test
  void explainsAConfigWithoutPrivateKey() throws IOException {
    Path conf = write("{ Peers: [] }");
    KeyFormatException e =
        assertThrows(KeyFormatException.class, () -> NodeKeys.fromYggdrasilConfig(conf));
    assertTrue(e.getMessage().contains("no PrivateKey"), e.getMessage());
  }

  @Test
  void explainsAMissingFile() {
    KeyFormatException e =
        assertThrows(
            KeyFormatException.class, () -> NodeKeys.fromYggdrasilConfig(dir.resolve("nope.conf")));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }

  @Test
  void reportsTheLineOfBrokenConfig() throws IOException {
    Path conf = write("{\n  Peers: [\n  PrivateKey: \"abc\n}\n");
    KeyFormatException e =
        assertThrows(KeyFormatException.class, () -> NodeKeys.fromYggdrasilConfig(conf));
    assertTrue(e.getMessage().startsWith("config line "), e.getMessage());
  }

  @Test
  void followsPrivateKeyPathOfYggdrasil05RelativeToTheConfig() throws IOException {
    Files.copy(Vectors.path("keys/openssl-ed25519.pem"), dir.resolve("node.pem"));
    Path conf = write("{\n  PrivateKeyPath: node.pem\n  Peers: []\n}\n");

    SigningKey key = NodeKeys.fromYggdrasilConfig(conf);

    assertEquals(Vectors.text("keys/openssl-ed25519.pem.pub").strip(), key.verifyingKey().toHex());
  }

  @Test
  void readsPkcs8PemAsOpensslWritesIt() {
    SigningKey key = NodeKeys.fromKeyFile(Vectors.path("keys/openssl-ed25519.pem"));
    assertEquals(Vectors.text("keys/openssl-ed25519.pem.pub").strip(), key.verifyingKey().toHex());
  }

  @Test
  void roundTripsItsOwnKeyFileFormat() throws IOException {
    SigningKey key = SigningKey.generate(new SecureRandom());
    Path file = dir.resolve("key");
    Files.writeString(file, NodeKeys.formatKeyFile(key));

    assertEquals(key.verifyingKey(), NodeKeys.fromKeyFile(file).verifyingKey());
  }

  @Test
  void readsAHexSeedKeyFile() {
    SigningKey key = SigningKey.generate(new SecureRandom());
    assertEquals(key.verifyingKey(), NodeKeys.parseKeyFile(hex(key.seed()) + "\n").verifyingKey());
  }

  @Test
  void rejectsKeyFilesThatAreNeitherPemNorHex() {
    assertThrows(KeyFormatException.class, () -> NodeKeys.parseKeyFile("hello"));
    assertThrows(
        KeyFormatException.class,
        () -> NodeKeys.parseKeyFile("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"));
    assertThrows(
        KeyFormatException.class,
        () ->
            NodeKeys.parseKeyFile(
                "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VxBCIEIFTQ\n-----END PRIVATE KEY-----"));
  }

  @Test
  void refusesHugeFiles() throws IOException {
    Path big = dir.resolve("big.conf");
    Files.write(big, new byte[(int) NodeKeys.MAX_FILE_BYTES + 1]);
    KeyFormatException e =
        assertThrows(KeyFormatException.class, () -> NodeKeys.fromYggdrasilConfig(big));
    assertTrue(e.getMessage().contains("larger than"), e.getMessage());
  }

  private Path write(String text) throws IOException {
    Path p = Files.createTempFile(dir, "ygg", ".conf");
    Files.writeString(p, text);
    return p;
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }
}
