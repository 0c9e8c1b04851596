package org.canopymesh.agent.sync;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.mirror.MirrorApi;
import org.canopymesh.agent.mirror.MirrorException;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.checkpoint.Checkpoint;
import org.canopymesh.naming.checkpoint.Cosignatures;
import org.canopymesh.naming.log.LogHashes;
import org.canopymesh.naming.log.Proofs;
import org.canopymesh.naming.log.TreeFrontier;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.note.NoteKeys;
import org.canopymesh.naming.note.NoteLimits;
import org.canopymesh.naming.note.NoteVerifier;
import org.canopymesh.naming.ownership.Ledger;
import org.canopymesh.naming.ownership.LoggedRecord;
import org.canopymesh.naming.ownership.NameTable;
import org.canopymesh.naming.ownership.OwnershipRules;

/**
 * One mirror's log as the agent verified it: its latest checkpoint, the entries it holds (a prefix
 * of that checkpoint's tree, all of it once caught up), the tree's right edge and the ledger of
 * those entries. The sync thread of this mirror changes it; readers take {@link #table} and {@link
 * #status}, both under the lock.
 */
final class LogCopy {
  private static final Logger LOG = Logger.getLogger(LogCopy.class.getName());
  static final NoteLimits CHECKPOINT_LIMITS = new NoteLimits(64 * 1024, 16, 100);

  private final AgentConfig.Mirror mirror;
  private final NoteVerifier logKey;
  private final List<NoteVerifier> witnesses;
  private final OwnershipRules rules;
  private final LogFiles files;

  private byte[] note = new byte[0];
  private Checkpoint checkpoint;
  private TreeFrontier frontier = TreeFrontier.empty();
  private Ledger ledger;
  private long bytes;
  private int cosigners;
  private Fault fault;
  private String detail = "";
  private Instant lastAttempt;
  private Instant lastSuccess;

  LogCopy(
      AgentConfig.Mirror mirror,
      List<AgentConfig.Mirror> all,
      OwnershipRules rules,
      LogFiles files) {
    this.mirror = mirror;
    this.logKey = NoteKeys.verifier(mirror.key());
    this.witnesses = new ArrayList<>();
    for (AgentConfig.Mirror m : all) {
      if (!m.equals(mirror)) {
        witnesses.add(Cosignatures.verifier(m.origin(), m.key().key()));
      }
    }
    this.rules = rules;
    this.files = files;
    this.ledger = rules.ledger();
    this.checkpoint = new Checkpoint(mirror.origin(), 0, LogHashes.emptyRoot());
  }

  // ---- loading ----

  /**
   * Loads the copy on disk, verifying it as if it came from the mirror: the checkpoint's signature,
   * every record, and the tree of the entries against the stored right edge (and the checkpoint's
   * root once caught up). A copy that fails is discarded and fetched again.
   */
  synchronized void load(RecordPool.Round round) {
    Optional<LogFiles.State> stored;
    try {
      stored = files.readState();
      if (stored.isPresent()) {
        restore(stored.get(), round);
      }
    } catch (RuntimeException e) {
      LOG.warning(
          () -> mirror.origin() + ": the copy on disk is unusable, fetching it again: " + e);
      reset();
      files.delete();
    }
  }

  private void restore(LogFiles.State s, RecordPool.Round round) {
    Note n = Note.parse(s.checkpoint(), CHECKPOINT_LIMITS);
    Checkpoint cp = Checkpoint.open(n, logKey);
    if (s.entries() > cp.size()) {
      throw new SyncException(Fault.WRONG_ROOT, "more entries than the checkpoint");
    }
    TreeFrontier f = TreeFrontier.empty();
    Ledger l = rules.ledger();
    boolean complete = s.entries() == cp.size();
    files.forEachEntry(
        s.entries(),
        MirrorApi.PAGE,
        page -> {
          RecordPool.Page p =
              complete ? round.parseAuthenticated(page, f.size()) : round.verify(page, f.size());
          offer(f, l, p);
        });
    byte[] root = f.root();
    if (!MessageDigest.isEqual(root, TreeFrontier.of(s.entries(), s.frontier()).root())
        || (f.size() == cp.size() && !MessageDigest.isEqual(root, cp.rootHash()))) {
      throw new SyncException(Fault.WRONG_ROOT, "the entries do not hash to the stored tree");
    }
    note = s.checkpoint();
    checkpoint = cp;
    frontier = f;
    ledger = l;
    bytes = s.entriesBytes();
    cosigners = cosigners(n);
    fault = s.fault().isEmpty() ? null : Fault.valueOf(s.fault());
  }

  private void reset() {
    note = new byte[0];
    checkpoint = new Checkpoint(mirror.origin(), 0, LogHashes.emptyRoot());
    frontier = TreeFrontier.empty();
    ledger = rules.ledger();
    bytes = 0;
    cosigners = 0;
    fault = null;
  }

  private static void offer(TreeFrontier f, Ledger l, RecordPool.Page p) {
    for (int i = 0; i < p.leaves().size(); i++) {
      long index = f.size();
      f.append(p.leaves().get(i));
      l.offer(new LoggedRecord(index, p.records().get(i)));
    }
  }

  // ---- syncing ----

  /** Brings the copy up to the mirror's latest checkpoint, or records why it could not. */
  void sync(MirrorApi api, RecordPool.Round round, Instant now) {
    synchronized (this) {
      lastAttempt = now;
    }
    try {
      Note n = fetchCheckpoint(api);
      Checkpoint cp = openCheckpoint(n);
      synchronized (this) {
        checkExtends(api, cp);
        accept(n, cp);
      }
      while (size() < cp.size()) {
        catchUp(api, round, cp);
      }
      synchronized (this) {
        if (fault != null) {
          LOG.info(() -> mirror.origin() + ": verifies again, size " + cp.size());
        }
        fault = null;
        detail = "";
        lastSuccess = now;
        save();
      }
    } catch (SyncException e) {
      failed(e.fault(), e.getMessage());
    } catch (MirrorException e) {
      failed(e.unreachable() ? Fault.UNREACHABLE : Fault.BAD_ANSWER, e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, mirror.origin() + ": sync failed", e);
      failed(Fault.BAD_ANSWER, e.toString());
    }
  }

  private synchronized long size() {
    return frontier.size();
  }

  private synchronized void failed(Fault f, String why) {
    boolean changed = f != fault || !why.equals(detail);
    fault = f;
    detail = why;
    if (f.distrusts()) {
      if (changed) {
        LOG.severe(() -> mirror.origin() + ": " + f + ", no longer trusted: " + why);
      }
      save();
    } else if (changed) {
      LOG.warning(() -> mirror.origin() + ": " + f + ": " + why);
    }
  }

  private Note fetchCheckpoint(MirrorApi api) {
    byte[] text = api.checkpoint(mirror.url());
    try {
      return Note.parse(text, CHECKPOINT_LIMITS);
    } catch (NamingException e) {
      throw new SyncException(
          Fault.BAD_SIGNATURE, "its checkpoint is malformed: " + e.getMessage());
    }
  }

  private Checkpoint openCheckpoint(Note n) {
    try {
      return Checkpoint.open(n, logKey);
    } catch (NamingException e) {
      throw new SyncException(Fault.BAD_SIGNATURE, "its checkpoint: " + e.getMessage());
    }
  }

  /** The new checkpoint must extend the one verified before. */
  private void checkExtends(MirrorApi api, Checkpoint cp) {
    long old = checkpoint.size();
    if (cp.size() < old) {
      throw new SyncException(
          Fault.ROLLBACK, "it signed size " + cp.size() + " after size " + old + " before");
    }
    if (cp.size() == old) {
      if (!MessageDigest.isEqual(cp.rootHash(), checkpoint.rootHash())) {
        throw new SyncException(Fault.SPLIT_VIEW, "two roots signed for size " + old);
      }
      return;
    }
    if (old > 0) {
      List<byte[]> proof = api.consistency(mirror.url(), old, cp.size());
      try {
        Proofs.verifyConsistency(old, cp.size(), proof, checkpoint.rootHash(), cp.rootHash());
      } catch (NamingException e) {
        throw new SyncException(
            Fault.INCONSISTENT,
            "size " + cp.size() + " is not consistent with size " + old + ": " + e.getMessage());
      }
    }
  }

  private void accept(Note n, Checkpoint cp) {
    if (cp.size() != checkpoint.size() || !MessageDigest.isEqual(n.encoded(), note)) {
      note = n.encoded();
      checkpoint = cp;
      cosigners = cosigners(n);
      save();
    }
  }

  private int cosigners(Note n) {
    int c = 0;
    for (NoteVerifier w : witnesses) {
      if (n.isSignedBy(w)) {
        c++;
      }
    }
    return c;
  }

  /**
   * Fetches, verifies and appends one page. Before anything is kept, the page must be tied to the
   * checkpoint: the tree with it has the checkpoint's root, or (for a page that is not the last) a
   * consistency proof leads from it to the checkpoint.
   */
  private void catchUp(MirrorApi api, RecordPool.Round round, Checkpoint cp) {
    long start = size();
    List<byte[]> page = api.entries(mirror.url(), start, cp.size());
    RecordPool.Page p = round.verify(page, start);
    TreeFrontier f;
    synchronized (this) {
      f = frontier.copy();
    }
    for (byte[] leaf : p.leaves()) {
      f.append(leaf);
    }
    if (f.size() == cp.size()) {
      if (!MessageDigest.isEqual(f.root(), cp.rootHash())) {
        throw new SyncException(Fault.WRONG_ROOT, "its entries do not hash to its checkpoint");
      }
    } else {
      List<byte[]> proof = api.consistency(mirror.url(), f.size(), cp.size());
      try {
        Proofs.verifyConsistency(f.size(), cp.size(), proof, f.root(), cp.rootHash());
      } catch (NamingException e) {
        throw new SyncException(
            Fault.WRONG_ROOT, "entries " + start + " to " + f.size() + " are not its tree's");
      }
    }
    synchronized (this) {
      bytes = files.append(bytes, page);
      offer(frontier, ledger, p);
      save();
    }
  }

  private void save() {
    files.writeState(
        new LogFiles.State(
            note, frontier.size(), bytes, frontier.hashes(), fault == null ? "" : fault.name()));
  }

  // ---- reading ----

  /** The name table at {@code now}; empty while the mirror is distrusted. */
  synchronized NameTable table(Instant now) {
    return counted() ? ledger.table(now) : rules.ledger().table(now);
  }

  synchronized boolean counted() {
    return fault == null || !fault.distrusts();
  }

  synchronized MirrorStatus status() {
    return new MirrorStatus(
        mirror.origin(),
        mirror.url(),
        counted(),
        Optional.ofNullable(fault),
        detail,
        checkpoint.size(),
        frontier.size(),
        cosigners,
        Optional.ofNullable(lastAttempt),
        Optional.ofNullable(lastSuccess));
  }
}
