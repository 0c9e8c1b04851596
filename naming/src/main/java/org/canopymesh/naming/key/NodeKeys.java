package org.canopymesh.naming.key;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Loads a node's signing key from where Yggdrasil keeps it: the {@code PrivateKey} field of its
 * config (Hjson or JSON, 0.4 and 0.5), the PEM file named by 0.5's {@code PrivateKeyPath}, or a key
 * file of our own.
 */
public final class NodeKeys {
  /** Larger files are not configs or keys; refusing them bounds what a typo can make us read. */
  static final long MAX_FILE_BYTES = 1 << 20;

  /** DER prefix of a PKCS#8 Ed25519 private key (RFC 8410): the 32-byte seed follows. */
  private static final byte[] PKCS8_ED25519_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
  };

  private NodeKeys() {}

  /**
   * The key of the node whose Yggdrasil config is at {@code config}. Reads {@code PrivateKey} (hex,
   * seed followed by public key, the halves must agree) or else {@code PrivateKeyPath} (resolved
   * against the config's folder). If the config also has {@code PublicKey}, it must match.
   */
  public static SigningKey fromYggdrasilConfig(Path config) {
    return fromYggdrasilConfig(read(config), config.toAbsolutePath().getParent());
  }

  /** As {@link #fromYggdrasilConfig(Path)} for config text; relative key paths use {@code dir}. */
  public static SigningKey fromYggdrasilConfig(String text, Path dir) {
    Map<String, Object> config = Hjson.parseObject(text);
    SigningKey key;
    Object hex = config.get("PrivateKey");
    Object path = config.get("PrivateKeyPath");
    if (hex instanceof String s && !s.isBlank()) {
      key = privateKeyField(s.strip());
    } else if (path instanceof String p && !p.isBlank()) {
      Path file = dir == null ? Path.of(p.strip()) : dir.resolve(p.strip());
      key = fromKeyFile(file);
    } else {
      throw new KeyFormatException(
          "the Yggdrasil config has no PrivateKey (or PrivateKeyPath); is it a yggdrasil.conf?");
    }
    Object pub = config.get("PublicKey");
    if (pub instanceof String p && !p.isBlank()) {
      VerifyingKey declared = VerifyingKey.parseHex(p.strip());
      if (!declared.equals(key.verifyingKey())) {
        throw new KeyFormatException("the config's PublicKey is not the key of its PrivateKey");
      }
    }
    return key;
  }

  private static SigningKey privateKeyField(String hex) {
    if (hex.length() != 128) {
      throw new KeyFormatException(
          "PrivateKey must be 128 hex digits (seed and public key), not " + hex.length());
    }
    try {
      return SigningKey.parseHex(hex);
    } catch (KeyFormatException e) {
      throw new KeyFormatException("PrivateKey: " + e.getMessage());
    }
  }

  /**
   * The key in {@code file}: a PEM PKCS#8 Ed25519 key (as {@code yggdrasil -exportkey} and {@code
   * openssl genpkey -algorithm ed25519} write it), or hex: a 32-byte seed or Yggdrasil's 64-byte
   * seed and public key.
   */
  public static SigningKey fromKeyFile(Path file) {
    return parseKeyFile(read(file));
  }

  /** As {@link #fromKeyFile(Path)} for the file's text. */
  public static SigningKey parseKeyFile(String text) {
    String t = text.strip();
    if (t.startsWith("-----BEGIN")) {
      return fromPem(t);
    }
    if (t.length() != 64 && t.length() != 128) {
      throw new KeyFormatException(
          "a key file holds a PEM private key or 64 or 128 hex digits, not "
              + t.length()
              + " characters");
    }
    return SigningKey.parseHex(t);
  }

  /** The key file text {@link #parseKeyFile} reads back: the seed and public key in hex. */
  public static String formatKeyFile(SigningKey key) {
    return HexFormat.of().formatHex(key.seed()) + key.verifyingKey().toHex() + "\n";
  }

  private static SigningKey fromPem(String pem) {
    String[] lines = pem.split("\r?\n");
    if (!lines[0].equals("-----BEGIN PRIVATE KEY-----")
        || !lines[lines.length - 1].equals("-----END PRIVATE KEY-----")) {
      throw new KeyFormatException("a PEM key file must hold one PKCS#8 \"PRIVATE KEY\"");
    }
    String body = String.join("", Arrays.copyOfRange(lines, 1, lines.length - 1));
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new KeyFormatException("the PEM key is not valid base64");
    }
    int prefix = PKCS8_ED25519_PREFIX.length;
    if (der.length != prefix + SigningKey.SEED_SIZE
        || !Arrays.equals(der, 0, prefix, PKCS8_ED25519_PREFIX, 0, prefix)) {
      throw new KeyFormatException("the PEM key is not an Ed25519 private key");
    }
    return SigningKey.fromSeed(Arrays.copyOfRange(der, prefix, der.length));
  }

  private static String read(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new KeyFormatException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KeyFormatException("cannot read " + file + ": " + describe(e), e);
    }
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
