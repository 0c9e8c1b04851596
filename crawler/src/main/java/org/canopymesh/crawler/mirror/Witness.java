package org.canopymesh.crawler.mirror;

import static org.canopymesh.crawler.mirror.WitnessException.Status.BAD_REQUEST;
import static org.canopymesh.crawler.mirror.WitnessException.Status.CONFLICT;
import static org.canopymesh.crawler.mirror.WitnessException.Status.FORBIDDEN;
import static org.canopymesh.crawler.mirror.WitnessException.Status.NOT_FOUND;
import static org.canopymesh.crawler.mirror.WitnessException.Status.UNPROCESSABLE;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.canopymesh.crawler.log.LogIdentity;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.checkpoint.Checkpoint;
import org.canopymesh.naming.log.LogHashes;
import org.canopymesh.naming.log.ProofException;
import org.canopymesh.naming.log.Proofs;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.note.NoteSignature;
import org.canopymesh.naming.note.NoteSigner;
import org.canopymesh.naming.note.StrictBase64;
import org.jboss.logging.Logger;

/**
 * This mirror as a witness of its peers (c2sp.org/tlog-witness): it cosigns a peer's checkpoint
 * only when it is signed by the peer's key and a consistency proof leads to it from the newest
 * checkpoint of that peer it cosigned before. It never cosigns two checkpoints of one log that
 * disagree, nor a smaller one after a larger one, across restarts.
 */
@ApplicationScoped
public class Witness {
  private static final Logger LOG = Logger.getLogger(Witness.class);

  /** The request body limit: 64 proof lines and a checkpoint with signatures fit easily. */
  public static final int MAX_BODY = 16 * 1024;

  private static final int MAX_PROOF = 63;

  @Inject Peers peers;
  @Inject PeerStore store;
  @Inject LogIdentity identity;
  @Inject Evidences evidence;
  @Inject Clock clock;

  /** A parsed add-checkpoint request. */
  record Request(long oldSize, List<byte[]> proof, Note note, Checkpoint checkpoint) {}

  /**
   * Handles an add-checkpoint body.
   *
   * @return the cosignature line(s), each ending in a newline
   * @throws WitnessException with the status the spec gives the refusal
   */
  public String addCheckpoint(byte[] body) {
    Request r = parse(body);
    Peer peer =
        peers
            .byOrigin(r.checkpoint().origin())
            .orElseThrow(
                () -> new WitnessException(NOT_FOUND, "unknown log " + r.checkpoint().origin()));
    if (!r.note().isSignedBy(peer.logVerifier())) {
      throw new WitnessException(FORBIDDEN, "the checkpoint is not signed by " + peer.key());
    }
    if (r.oldSize() > r.checkpoint().size()) {
      throw new WitnessException(BAD_REQUEST, "the old size is larger than the checkpoint's");
    }
    if (store.isDistrusted(peer.origin())) {
      throw new WitnessException(
          FORBIDDEN, "this witness holds evidence that " + peer.origin() + " misbehaved");
    }
    String checkpointNote = r.note().format();
    return store.withCosigned(
        peer.origin(),
        current -> {
          PeerStore.Cosigned next = check(peer, r, current, checkpointNote);
          return new PeerStore.WitnessStep.Outcome<>(cosign(r.note()), Optional.of(next));
        });
  }

  private PeerStore.Cosigned check(
      Peer peer, Request r, Optional<PeerStore.Cosigned> current, String note) {
    long size = current.map(PeerStore.Cosigned::size).orElse(0L);
    Checkpoint c = r.checkpoint();
    if (r.oldSize() != size) {
      throw new WitnessException(
          CONFLICT, "the newest checkpoint cosigned for this log has size " + size, size);
    }
    if (current.isPresent() && c.size() == size) {
      if (!MessageDigest.isEqual(current.get().root(), c.rootHash())) {
        evidence.record(
            peer.origin(),
            EvidenceKind.SPLIT_VIEW,
            "two signed checkpoints of size " + size + " with different roots",
            current.get().checkpoint(),
            note);
        throw new WitnessException(CONFLICT, "a different checkpoint of this size was cosigned");
      }
    } else if (size > 0) {
      try {
        Proofs.verifyConsistency(size, c.size(), r.proof(), current.get().root(), c.rootHash());
      } catch (ProofException e) {
        // Anyone may replay a signed checkpoint with a bad proof: no evidence, just refuse.
        throw new WitnessException(UNPROCESSABLE, "the consistency proof does not verify");
      }
    } else if (!r.proof().isEmpty()) {
      throw new WitnessException(UNPROCESSABLE, "the proof from size 0 must be empty");
    }
    evidence.crossCheck(peer, c, note);
    return new PeerStore.Cosigned(c.size(), c.rootHash(), note);
  }

  private String cosign(Note note) {
    NoteSigner cosigner = identity.cosigner();
    byte[] sig = cosigner.sign(note.textBytes());
    LOG.debugf("cosigned %s", note.text().replace('\n', ' '));
    return new NoteSignature(cosigner.keyName(), cosigner.keyId(), sig).line() + "\n";
  }

  static Request parse(byte[] body) {
    if (body.length > MAX_BODY) {
      throw new WitnessException(BAD_REQUEST, "the request is over " + MAX_BODY + " bytes");
    }
    String text = new String(body, StandardCharsets.UTF_8);
    int blank = text.indexOf("\n\n");
    if (blank < 0) {
      throw new WitnessException(BAD_REQUEST, "no blank line before the checkpoint");
    }
    String[] lines = text.substring(0, blank).split("\n", -1);
    if (!lines[0].startsWith("old ") || lines.length - 1 > MAX_PROOF) {
      throw new WitnessException(
          BAD_REQUEST, "the request starts with \"old <size>\" and at most 63 proof lines");
    }
    long old = parseSize(lines[0].substring(4));
    List<byte[]> proof = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      byte[] h;
      try {
        h = StrictBase64.decode(lines[i]);
      } catch (IllegalArgumentException | NamingException e) {
        throw new WitnessException(BAD_REQUEST, "proof line " + i + " is not base64");
      }
      if (h.length != LogHashes.SIZE) {
        throw new WitnessException(BAD_REQUEST, "proof line " + i + " is not a 32-byte hash");
      }
      proof.add(h);
    }
    try {
      Note note = Note.parse(text.substring(blank + 2));
      return new Request(old, proof, note, Checkpoint.parse(note.text()));
    } catch (NamingException e) {
      throw new WitnessException(BAD_REQUEST, "malformed checkpoint: " + e.getMessage());
    }
  }

  private static long parseSize(String s) {
    if (!s.matches("0|[1-9][0-9]{0,18}")) {
      throw new WitnessException(BAD_REQUEST, "the old size is not a decimal number");
    }
    return Long.parseLong(s);
  }
}
