package org.canopymesh.crawler.mirror;

import java.net.URI;
import org.canopymesh.crawler.CrawlerException;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.checkpoint.Cosignatures;
import org.canopymesh.naming.note.NoteKeys;
import org.canopymesh.naming.note.NoteVerifier;
import org.canopymesh.naming.note.VerifierKey;

/**
 * A peer mirror: where its API is and the key its checkpoints are signed with (whose name is its
 * origin).
 *
 * @param url the base URL, e.g. {@code http://mirror-b:8081}
 * @param key its C2SP verifier key
 */
public record Peer(URI url, VerifierKey key) {
  /** Parses {@code <base url> <verifier key>}. */
  public static Peer parse(String item) {
    String[] parts = item.strip().split("\\s+");
    if (parts.length != 2) {
      throw new CrawlerException(
          "canopy.mirror.peers: \"" + item + "\" is not \"<base url> <verifier key>\"");
    }
    URI url;
    try {
      url = URI.create(parts[0].replaceAll("/+$", ""));
    } catch (IllegalArgumentException e) {
      throw new CrawlerException("canopy.mirror.peers: " + parts[0] + " is not a URL");
    }
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new CrawlerException("canopy.mirror.peers: " + parts[0] + " is not an http(s) URL");
    }
    try {
      return new Peer(url, VerifierKey.parse(parts[1]));
    } catch (NamingException e) {
      throw new CrawlerException(
          "canopy.mirror.peers: " + parts[1] + " is not a verifier key: " + e.getMessage());
    }
  }

  public String origin() {
    return key.name();
  }

  /** Checks the peer's checkpoint signatures. */
  public NoteVerifier logVerifier() {
    return NoteKeys.verifier(key);
  }

  /** Checks the peer's cosignatures on this mirror's checkpoints. */
  public NoteVerifier cosignatureVerifier() {
    return Cosignatures.verifier(key.name(), key.key());
  }

  @Override
  public String toString() {
    return origin() + " at " + url;
  }
}
