package org.canopymesh.crawler.mirror;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.canopymesh.crawler.CrawlerException;
import org.canopymesh.crawler.log.Admission;
import org.canopymesh.crawler.log.LogWriter;
import org.canopymesh.crawler.mirror.PeerClient.PeerException;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.checkpoint.Checkpoint;
import org.canopymesh.naming.log.LogHashes;
import org.canopymesh.naming.log.ProofException;
import org.canopymesh.naming.log.Proofs;
import org.canopymesh.naming.log.TreeFrontier;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.record.InvalidRecordException;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.RecordRules;
import org.canopymesh.naming.record.SignedRecord;

/**
 * One sync with one peer. The peer's new checkpoint must be signed by its key and consistent with
 * the last one this mirror verified, and with the last one it cosigned as the peer's witness; its
 * entries are then fetched page by page, each record verified, and each page tied to the checkpoint
 * by a consistency proof from the tree the page ends (or, for the last page, by the root itself)
 * before its records are appended here. A peer that breaks any of this leaves evidence and is
 * dropped.
 */
final class PeerSync {
  private final PeerClient client;
  private final PeerStore store;
  private final Evidences evidence;
  private final LogWriter writer;
  private final RecordRules rules;
  private final int pageSize;
  private final Clock clock;
  private final Executor fetcher;

  PeerSync(
      PeerClient client,
      PeerStore store,
      Evidences evidence,
      LogWriter writer,
      RecordRules rules,
      int pageSize,
      Clock clock,
      Executor fetcher) {
    this.client = client;
    this.store = store;
    this.evidence = evidence;
    this.writer = writer;
    this.rules = rules;
    this.pageSize = pageSize;
    this.clock = clock;
    this.fetcher = fetcher;
  }

  /** Why a sync stopped: the peer misbehaved, evidence is stored. */
  static final class Misbehaved extends CrawlerException {
    private static final long serialVersionUID = 1L;

    Misbehaved(String message) {
      super(message);
    }
  }

  /** Syncs with {@code peer}; returns the number of records appended here. */
  long sync(Peer peer) {
    PeerState state = store.load(peer.origin());
    String note = client.checkpoint(peer);
    Checkpoint c = open(peer, note);
    state = accept(peer, state, c, note);
    store.save(state, peer.url().toString());
    long appended = 0;
    TreeFrontier f = state.frontier().copy();
    // The next page is fetched while this one is verified and appended.
    CompletableFuture<List<byte[]>> ahead = fetch(peer, f.size(), c.size());
    while (f.size() < c.size()) {
      long start = f.size();
      List<byte[]> page = join(ahead);
      long end = start + page.size();
      ahead = end < c.size() ? fetch(peer, end, c.size()) : null;
      if (page.isEmpty()) {
        throw new PeerException(peer + " served no entries from " + start);
      }
      List<SignedRecord> records = verify(peer, page, start, note);
      for (byte[] e : page) {
        f.append(LogHashes.leaf(e));
      }
      checkPage(peer, f, c, start, note);
      appended += append(peer, records);
      state = state.withFrontier(f.copy());
      store.save(state, peer.url().toString());
    }
    return appended;
  }

  private CompletableFuture<List<byte[]>> fetch(Peer peer, long start, long size) {
    return CompletableFuture.supplyAsync(
        () -> client.entries(peer, start, Math.min(size, start + pageSize)), fetcher);
  }

  private static List<byte[]> join(CompletableFuture<List<byte[]>> page) {
    try {
      return page.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private Checkpoint open(Peer peer, String note) {
    try {
      return Checkpoint.open(Note.parse(note), peer.logVerifier());
    } catch (NamingException e) {
      throw new PeerException(peer + " served a checkpoint it did not sign: " + e.getMessage());
    }
  }

  /** Checks the new checkpoint against the last verified one; returns the state to keep. */
  private PeerState accept(Peer peer, PeerState state, Checkpoint c, String note) {
    if (state.checkpoint() != null) {
      if (c.size() < state.size()) {
        throw misbehaved(
            peer,
            EvidenceKind.ROLLBACK,
            "checkpoint of size " + c.size() + " after one of size " + state.size(),
            state.checkpoint(),
            note);
      }
      if (c.size() == state.size() && !MessageDigest.isEqual(c.rootHash(), state.root())) {
        throw misbehaved(
            peer,
            EvidenceKind.SPLIT_VIEW,
            "two checkpoints of size " + c.size() + " with different roots",
            state.checkpoint(),
            note);
      }
      if (c.size() > state.size()) {
        List<byte[]> proof = client.consistency(peer, state.size(), c.size());
        try {
          Proofs.verifyConsistency(state.size(), c.size(), proof, state.root(), c.rootHash());
        } catch (ProofException e) {
          throw misbehaved(
              peer,
              EvidenceKind.SPLIT_VIEW,
              "no valid consistency proof from size " + state.size() + " to " + c.size(),
              state.checkpoint(),
              note);
        }
      }
    }
    Optional<PeerStore.Cosigned> cosigned = store.cosigned(peer.origin());
    if (cosigned.isPresent()) {
      checkCosigned(peer, cosigned.get(), state, c, note);
    }
    return state.withCheckpoint(note, c.size(), c.rootHash());
  }

  /**
   * Checks the new checkpoint against the newest one this mirror cosigned for the peer as its
   * witness, which may have come by another way than the sync: one of the same size must have the
   * same root, and a smaller one must lead to the new one by a consistency proof. (A larger one is
   * normal for a while: a log has its checkpoints cosigned before it serves them.)
   */
  private void checkCosigned(
      Peer peer, PeerStore.Cosigned w, PeerState state, Checkpoint c, String note) {
    if (w.size() == c.size()) {
      if (!MessageDigest.isEqual(w.root(), c.rootHash())) {
        throw misbehaved(
            peer,
            EvidenceKind.SPLIT_VIEW,
            "the checkpoint of size " + c.size() + " differs from the one cosigned",
            w.checkpoint(),
            note);
      }
      return;
    }
    if (w.size() == 0 || w.size() > c.size()) {
      return;
    }
    if (w.size() == state.size() && MessageDigest.isEqual(w.root(), state.root())) {
      return; // the cosigned tree is the synced one, which the new one was just checked to extend
    }
    List<byte[]> proof = client.consistency(peer, w.size(), c.size());
    try {
      Proofs.verifyConsistency(w.size(), c.size(), proof, w.root(), c.rootHash());
    } catch (ProofException e) {
      throw misbehaved(
          peer,
          EvidenceKind.SPLIT_VIEW,
          "no valid consistency proof from the checkpoint of size "
              + w.size()
              + " it had cosigned to "
              + c.size(),
          w.checkpoint(),
          note);
    }
  }

  /** Every entry must be a validly signed record; returns those in this mirror's zones. */
  private List<SignedRecord> verify(Peer peer, List<byte[]> page, long start, String note) {
    Instant now = clock.instant();
    List<Object> checked =
        IntStream.range(0, page.size()).parallel().mapToObj(i -> check(page.get(i), now)).toList();
    List<SignedRecord> out = new ArrayList<>(page.size());
    for (int i = 0; i < checked.size(); i++) {
      Object r = checked.get(i);
      if (r instanceof InvalidRecordException e) {
        throw misbehaved(
            peer,
            EvidenceKind.FORGED_RECORD,
            "entry " + (start + i) + " is not a valid record: " + e.getMessage(),
            note,
            new String(page.get(i), java.nio.charset.StandardCharsets.UTF_8));
      }
      if (r instanceof SignedRecord s) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * A record, an {@link InvalidRecordException} for a forgery, or null for a valid record this
   * mirror does not take (another zone, or issued in its future).
   */
  private Object check(byte[] entry, Instant now) {
    try {
      SignedRecord s = SignedRecord.parse(entry);
      NameRecord r = s.record();
      // Expiry is not checked: the record was valid when the peer logged it, and replaying the
      // log's history needs it. The ownership rules judge it at its own issued time.
      if (!rules.isInZone(r.name()) || r.issued().isAfter(now.plus(rules.clockSkew()))) {
        return null;
      }
      return s;
    } catch (InvalidRecordException e) {
      return e;
    }
  }

  private void checkPage(Peer peer, TreeFrontier f, Checkpoint c, long start, String note) {
    if (f.size() == c.size()) {
      if (!MessageDigest.isEqual(f.root(), c.rootHash())) {
        throw misbehaved(
            peer,
            EvidenceKind.WRONG_ROOT,
            "its entries up to " + c.size() + " do not hash to its checkpoint's root",
            note,
            null);
      }
      return;
    }
    List<byte[]> proof = client.consistency(peer, f.size(), c.size());
    try {
      Proofs.verifyConsistency(f.size(), c.size(), proof, f.root(), c.rootHash());
    } catch (ProofException e) {
      throw misbehaved(
          peer,
          EvidenceKind.WRONG_ROOT,
          "its entries " + start + " to " + f.size() + " are not those of its checkpoint",
          note,
          null);
    }
  }

  private long append(Peer peer, List<SignedRecord> records) {
    try {
      return writer
          .submitAll(records, "peer:" + peer.origin(), Admission.REPLICATION)
          .get(5, TimeUnit.MINUTES)
          .stream()
          .filter(a -> a instanceof org.canopymesh.crawler.log.Appended.Added)
          .count();
    } catch (ExecutionException e) {
      throw new CrawlerException(
          "could not append " + peer.origin() + "'s records: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new CrawlerException("appending " + peer.origin() + "'s records timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CrawlerException("interrupted");
    }
  }

  private Misbehaved misbehaved(
      Peer peer, EvidenceKind kind, String detail, String first, String second) {
    evidence.record(peer.origin(), kind, detail, first, second);
    return new Misbehaved(peer.origin() + " misbehaved: " + detail);
  }
}
