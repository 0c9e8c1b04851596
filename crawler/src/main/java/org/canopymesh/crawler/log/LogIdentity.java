package org.canopymesh.crawler.log;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import org.canopymesh.crawler.CrawlerException;
import org.canopymesh.crawler.CrawlerMain;
import org.canopymesh.crawler.config.MirrorConfig;
import org.canopymesh.crawler.config.NamingConfig;
import org.canopymesh.naming.checkpoint.Cosignatures;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.note.NoteFormatException;
import org.canopymesh.naming.note.NoteKeys;
import org.canopymesh.naming.note.NoteSigner;
import org.canopymesh.naming.note.SignatureType;
import org.canopymesh.naming.note.VerifierKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The mirror's identity: its Ed25519 key and its origin line. The key file holds Go's signer key
 * string, which names the origin too, so a mirror keeps its identity across restarts; it is created
 * (mode 0600) on first start. The same key signs checkpoints (under the origin) and cosigns peers'
 * checkpoints as a witness (under the same name, as a cosignature key).
 */
@Startup
@ApplicationScoped
public class LogIdentity {
  private static final Logger LOG = Logger.getLogger(LogIdentity.class);

  private final String origin;
  private final SigningKey key;
  private final NoteSigner signer;
  private final NoteSigner cosigner;

  @Inject
  LogIdentity(
      MirrorConfig mirror,
      NamingConfig naming,
      Clock clock,
      @ConfigProperty(name = "canopy.data-dir", defaultValue = CrawlerMain.DEFAULT_DATA_DIR)
          String dataDir) {
    Path file =
        CrawlerMain.dataDir(mirror.keyFile().orElse(dataDir.replaceAll("/+$", "") + "/mirror.key"));
    String skey = Files.exists(file) ? read(file) : create(file, mirror, naming);
    NoteSigner parsed;
    try {
      parsed = NoteKeys.parseSignerKey(skey);
    } catch (NoteFormatException e) {
      throw new CrawlerException("the mirror key file " + file + " is unusable: " + e.getMessage());
    }
    this.origin = parsed.keyName();
    this.key = seedOf(skey);
    if (mirror.origin().isPresent() && !mirror.origin().get().equals(origin)) {
      throw new CrawlerException(
          "canopy.mirror.origin is "
              + mirror.origin().get()
              + " but the key in "
              + file
              + " belongs to "
              + origin
              + "; a log keeps its origin for life");
    }
    this.signer = NoteKeys.signer(origin, key);
    this.cosigner = Cosignatures.cosigner(origin, key, clock);
    LOG.infof("naming mirror %s, verifier key %s", origin, verifierKey());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new CrawlerException("cannot read the mirror key file " + file + ": " + e.getMessage());
    }
  }

  private static String create(Path file, MirrorConfig mirror, NamingConfig naming) {
    SigningKey key = SigningKey.generate(new SecureRandom());
    String origin = mirror.origin().orElseGet(() -> defaultOrigin(naming, key));
    String skey = NoteKeys.formatSignerKey(origin, key);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file,
          skey + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new CrawlerException("cannot create the mirror key file " + file + ": " + e);
    }
    LOG.infof("generated a new mirror key in %s", file);
    return skey;
  }

  private static String defaultOrigin(NamingConfig naming, SigningKey key) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.verifyingKey().bytes());
      return naming.zones().get(0) + "/mirror/" + HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The seed of a signer key that {@link NoteKeys#parseSignerKey} accepted. */
  private static SigningKey seedOf(String skey) {
    String b64 = skey.split("\\+", 5)[4];
    byte[] raw = java.util.Base64.getDecoder().decode(b64);
    return SigningKey.fromSeed(java.util.Arrays.copyOfRange(raw, 1, raw.length));
  }

  public String origin() {
    return origin;
  }

  /** Signs checkpoints. */
  public NoteSigner signer() {
    return signer;
  }

  /** Cosigns peers' checkpoints. */
  public NoteSigner cosigner() {
    return cosigner;
  }

  /** The C2SP verifier key of the log's checkpoints, what peers and agents configure. */
  public VerifierKey verifierKey() {
    return new VerifierKey(origin, SignatureType.ED25519, key.verifyingKey());
  }
}
