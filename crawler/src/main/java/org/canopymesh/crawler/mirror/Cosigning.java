package org.canopymesh.crawler.mirror;

import java.time.Clock;
import java.util.List;
import org.canopymesh.crawler.log.LogStore;
import org.canopymesh.crawler.log.LogWriter;
import org.canopymesh.crawler.log.SignedCheckpoint;
import org.canopymesh.crawler.mirror.PeerClient.Answer;
import org.canopymesh.crawler.mirror.PeerClient.PeerException;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.note.StrictBase64;

/**
 * Asks a peer, as a witness, to cosign this mirror's newest checkpoint (c2sp.org/tlog-witness),
 * with a consistency proof from the last checkpoint it cosigned; keeps the cosignature it returns
 * once it verifies.
 */
final class Cosigning {
  private final PeerClient client;
  private final PeerStore peers;
  private final LogStore log;
  private final LogWriter writer;
  private final Clock clock;

  Cosigning(PeerClient client, PeerStore peers, LogStore log, LogWriter writer, Clock clock) {
    this.client = client;
    this.peers = peers;
    this.log = log;
    this.writer = writer;
    this.clock = clock;
  }

  /** Returns whether the peer cosigned the newest checkpoint. */
  boolean collect(Peer peer) {
    SignedCheckpoint c = writer.checkpoint();
    PeerState state = peers.load(peer.origin());
    long old = state.cosignedSize() <= c.size() ? state.cosignedSize() : 0;
    if (old == c.size() && old > 0 && hasCosignature(c, peer)) {
      return true;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
      Answer a = client.addCheckpoint(peer, body(old, c));
      if (a.status() == 409 && a.contentType().startsWith("text/x.tlog.size")) {
        old = parseSize(peer, a.text());
        continue;
      }
      if (a.status() != 200) {
        throw new PeerException(peer + " refused to cosign (" + a.status() + "): " + a.text());
      }
      String line = verify(peer, c, a.text());
      log.saveCosignature(c.size(), peer.origin(), line, clock.instant());
      peers.save(peers.load(peer.origin()).withCosignedSize(c.size()), peer.url().toString());
      return true;
    }
    throw new PeerException(peer + " keeps answering a size conflict");
  }

  private boolean hasCosignature(SignedCheckpoint c, Peer peer) {
    return log.cosignatures(c.size()).stream()
        .anyMatch(l -> l.startsWith("— " + peer.origin() + " "));
  }

  private String body(long old, SignedCheckpoint c) {
    StringBuilder b = new StringBuilder("old ").append(old).append('\n');
    if (old > 0 && old < c.size()) {
      List<byte[]> proof = log.consistency(old, c.size(), writer.size());
      for (byte[] h : proof) {
        b.append(StrictBase64.encode(h)).append('\n');
      }
    }
    return b.append('\n').append(c.note()).toString();
  }

  private static long parseSize(Peer peer, String text) {
    String s = text.strip();
    if (!s.matches("0|[1-9][0-9]{0,18}")) {
      throw new PeerException(peer + " answered a size conflict without a size");
    }
    return Long.parseLong(s);
  }

  /** The peer's cosignature line among those returned, checked against its key. */
  private static String verify(Peer peer, SignedCheckpoint c, String lines) {
    if (lines.length() > 8 * 1024) {
      throw new PeerException(peer + " returned an oversized cosignature");
    }
    for (String line : lines.split("\n")) {
      try {
        Note n = Note.parse(c.note() + line + "\n");
        if (n.isSignedBy(peer.cosignatureVerifier())) {
          return line;
        }
      } catch (NamingException e) {
        // Not a well-formed line for this note: look at the next one.
      }
    }
    throw new PeerException(peer + " returned no valid cosignature by its key");
  }
}
