package org.canopymesh.crawler.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.canopymesh.naming.log.LogHashes;
import org.canopymesh.naming.log.Proofs;
import org.canopymesh.naming.note.VerifierKey;

/**
 * Checks what a mirror serves without trusting the code that produced it: checkpoint signatures
 * with the JDK's own Ed25519 (not BouncyCastle, which the mirror signs with), proofs with the
 * naming library's verifier.
 */
public final class IndependentCheck {
  private static final byte[] X509_ED25519_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");

  private IndependentCheck() {}

  /** A checkpoint's size and root, once its signature by {@code key} checked out. */
  public record Verified(long size, byte[] root) {}

  /** Verifies {@code note}'s signature by {@code key} with the JDK; returns its size and root. */
  public static Verified checkpoint(String note, VerifierKey key) {
    int split = note.indexOf("\n\n");
    assertTrue(split > 0, "a checkpoint note has a blank line: " + note);
    String text = note.substring(0, split + 1);
    String prefix = "— " + key.name() + " ";
    boolean found = false;
    for (String line : note.substring(split + 2).split("\n")) {
      if (!line.startsWith(prefix)) {
        continue;
      }
      byte[] raw = Base64.getDecoder().decode(line.substring(prefix.length()));
      if (ByteBuffer.wrap(raw).getInt() != key.keyId() || raw.length != 68) {
        continue;
      }
      byte[] sig = new byte[64];
      System.arraycopy(raw, 4, sig, 0, 64);
      assertTrue(jdkVerify(key, text.getBytes(StandardCharsets.UTF_8), sig), "signature of " + key);
      found = true;
    }
    assertTrue(found, "the checkpoint carries a signature by " + key + ":\n" + note);
    String[] body = text.split("\n");
    assertEquals(key.name(), body[0], "the checkpoint's origin");
    return new Verified(Long.parseLong(body[1]), Base64.getDecoder().decode(body[2]));
  }

  /**
   * Verifies a {@code /api/v1/names/{name}} answer: its checkpoint is signed by {@code key} and its
   * record is included in that checkpoint's tree at the given index. Returns the record note.
   */
  public static String nameAnswer(JsonNode answer, VerifierKey key) {
    Verified c = checkpoint(answer.path("checkpoint").asText(), key);
    String record = answer.path("record").asText();
    Proofs.verifyInclusion(
        LogHashes.leaf(record.getBytes(StandardCharsets.UTF_8)),
        answer.path("index").asLong(),
        c.size(),
        hashes(answer.path("proof")),
        c.root());
    return record;
  }

  /** A JSON list of base64 hashes. */
  public static List<byte[]> hashes(JsonNode list) {
    List<byte[]> out = new ArrayList<>();
    list.forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
    return out;
  }

  private static boolean jdkVerify(VerifierKey key, byte[] message, byte[] sig) {
    try {
      byte[] der = new byte[X509_ED25519_PREFIX.length + 32];
      System.arraycopy(X509_ED25519_PREFIX, 0, der, 0, X509_ED25519_PREFIX.length);
      System.arraycopy(key.key().bytes(), 0, der, X509_ED25519_PREFIX.length, 32);
      PublicKey pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(pub);
      s.update(message);
      return s.verify(sig);
    } catch (GeneralSecurityException e) {
      throw new AssertionError("the JDK cannot verify Ed25519", e);
    }
  }
}
