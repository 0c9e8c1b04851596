package org.canopymesh.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.canopymesh.naming.note.NoteKeys;
import org.canopymesh.naming.note.NoteSigner;
import org.canopymesh.naming.note.NoteVerifier;
import org.canopymesh.naming.note.VerifierKey;
import org.junit.jupiter.api.Test;

/**
 * k8s/mirror-key.sh makes the mirror key that goes into the canopy-mirror-key Secret. The crawler
 * reads it with NoteKeys.parseSignerKey, which also checks the key ID against the key; here the
 * same parser reads the script's output, and the printed verifier key checks its signatures.
 */
class MirrorKeyScriptTest {
  private static final String ORIGIN = "mesh.alt/mirror/example-org";

  private static Command.Result generate(String origin) {
    Command.find("openssl", "openssl is needed by k8s/mirror-key.sh: sudo apt-get install openssl");
    return Command.run(
        List.of("/bin/sh", Repository.k8s().resolve("mirror-key.sh").toString(), origin),
        Map.of(),
        Duration.ofSeconds(30));
  }

  @Test
  void theKeyIsOneTheCrawlerAcceptsUnderTheGivenOrigin() {
    Command.Result r = generate(ORIGIN);
    assertEquals(0, r.exit(), r.err());
    NoteSigner signer = NoteKeys.parseSignerKey(r.out().strip());
    assertEquals(ORIGIN, signer.keyName());

    String printed =
        r.err()
            .lines()
            .filter(l -> l.startsWith("verifier key: "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no verifier key in " + r.err()))
            .substring("verifier key: ".length());
    NoteVerifier verifier = NoteKeys.verifier(VerifierKey.parse(printed));
    assertEquals(signer.keyId(), verifier.keyId());
    byte[] text = "a checkpoint\n".getBytes(StandardCharsets.UTF_8);
    assertTrue(verifier.verify(text, signer.sign(text)), "the verifier key is not the signer's");
  }

  @Test
  void everyRunMakesANewKey() {
    assertNotEquals(generate(ORIGIN).out(), generate(ORIGIN).out());
  }

  @Test
  void anOriginThatCannotBeAKeyNameIsRefused() {
    Command.Result r = generate("mesh.alt/mirror/a+b");
    assertNotEquals(0, r.exit());
    assertEquals("", r.out());
  }
}
