package org.canopymesh.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.json.JsonTree;
import org.canopymesh.naming.checkpoint.Checkpoint;
import org.canopymesh.naming.checkpoint.Cosignatures;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.log.MerkleTree;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.note.NoteKeys;
import org.canopymesh.naming.note.NoteSigner;
import org.canopymesh.naming.note.SignatureType;
import org.canopymesh.naming.note.StrictBase64;
import org.canopymesh.naming.note.VerifierKey;
import org.canopymesh.naming.record.SignedRecord;

/**
 * A fake naming mirror (named so: a hostile mirror cannot be a real one) serving the read side of
 * the mirror API and {@code POST /api/v1/records} on the JDK's HTTP server, with its own key. What
 * it signs (the checkpointed log) and what it serves as entries can differ, and it can sign any
 * checkpoint at all; the agent must notice. Submissions are appended when {@link
 * #acceptSubmissions} is on.
 */
public final class FakeMirror implements AutoCloseable {
  private final HttpServer server;
  private final String origin;
  private final SigningKey key;
  private final NoteSigner signer;
  private final VerifierKey verifierKey;
  private final AtomicInteger submissions = new AtomicInteger();

  // Guarded by this.
  private List<byte[]> served = List.of();
  private MerkleTree tree = new MerkleTree();
  private String checkpoint;
  private boolean acceptSubmissions = true;
  private List<FakeMirror> cosigners = List.of();

  private FakeMirror(String origin) {
    this.origin = origin;
    this.key = SigningKey.generate(new SecureRandom());
    this.signer = NoteKeys.signer(origin, key);
    this.verifierKey = new VerifierKey(origin, SignatureType.ED25519, key.verifyingKey());
    this.checkpoint = sign(0, tree.root());
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  public static FakeMirror start(String origin) {
    return new FakeMirror(origin);
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** This mirror as an item of the agent's {@code mirrors}. */
  public AgentConfig.Mirror asConfigured() {
    return new AgentConfig.Mirror(url(), verifierKey);
  }

  /** Serves {@code log} honestly: its checkpoint is over exactly these entries. */
  public synchronized void serve(List<SignedRecord> log) {
    List<byte[]> entries = log.stream().map(SignedRecord::encoded).toList();
    serveEntries(entries, entries);
  }

  /** Signs a checkpoint over {@code checkpointed} but serves {@code served} as its entries. */
  public synchronized void serveEntries(List<byte[]> checkpointed, List<byte[]> served) {
    MerkleTree t = new MerkleTree();
    checkpointed.forEach(t::append);
    this.tree = t;
    this.served = new ArrayList<>(served);
    this.checkpoint = cosign(sign(t.size(), t.root()));
  }

  /** Serves {@code note} as its checkpoint. */
  public synchronized void serveCheckpoint(String note) {
    this.checkpoint = note;
  }

  /** Its checkpoints carry cosignatures by {@code witnesses} (made with their keys). */
  public synchronized void cosignedBy(List<FakeMirror> witnesses) {
    this.cosigners = List.copyOf(witnesses);
    this.checkpoint = cosign(checkpoint);
  }

  public synchronized void acceptSubmissions(boolean accept) {
    this.acceptSubmissions = accept;
  }

  /** The records submitted to it so far. */
  public int submissions() {
    return submissions.get();
  }

  public synchronized String checkpoint() {
    return checkpoint;
  }

  public synchronized List<byte[]> entries() {
    return List.copyOf(served);
  }

  /** A checkpoint of any size and root, signed by this mirror's key. */
  public String sign(long size, byte[] root) {
    return new Checkpoint(origin, size, root).sign(signer).format();
  }

  private String cosign(String note) {
    Note n = Note.parse(note);
    for (FakeMirror w : cosigners) {
      n = n.sign(Cosignatures.cosigner(w.origin, w.key, java.time.Clock.systemUTC()));
    }
    return n.format();
  }

  private void handle(HttpExchange x) throws IOException {
    try {
      String path = x.getRequestURI().getPath();
      Map<String, String> q = query(x.getRequestURI().getRawQuery());
      switch (path) {
        case "/api/v1/log/checkpoint" -> reply(x, 200, checkpoint());
        case "/api/v1/log/entries" -> entries(x, q);
        case "/api/v1/log/proof/consistency" -> consistency(x, q);
        case "/api/v1/records" -> submit(x);
        default -> reply(x, 404, "{\"error\":\"no such path\"}");
      }
    } catch (RuntimeException e) {
      reply(x, 400, "{\"error\":\"bad request\"}");
    } finally {
      x.close();
    }
  }

  private void entries(HttpExchange x, Map<String, String> q) throws IOException {
    long start = Long.parseLong(q.get("start"));
    long end = Long.parseLong(q.get("end"));
    List<String> page = new ArrayList<>();
    synchronized (this) {
      if (start < 0 || start >= served.size() || end <= start) {
        reply(x, 400, "{\"error\":\"bad range\"}");
        return;
      }
      for (long i = start; i < Math.min(Math.min(end, served.size()), start + 1000); i++) {
        page.add(new String(served.get((int) i), StandardCharsets.UTF_8));
      }
    }
    reply(x, 200, JsonTree.write(page));
  }

  private void consistency(HttpExchange x, Map<String, String> q) throws IOException {
    long from = Long.parseLong(q.get("from"));
    long to = Long.parseLong(q.get("to"));
    List<String> proof;
    synchronized (this) {
      if (from < 0 || from > to || to > tree.size()) {
        reply(x, 400, "{\"error\":\"bad range\"}");
        return;
      }
      proof = tree.consistencyProof(from, to).stream().map(StrictBase64::encode).toList();
    }
    reply(x, 200, JsonTree.write(Map.of("proof", proof)));
  }

  private void submit(HttpExchange x) throws IOException {
    byte[] body = x.getRequestBody().readNBytes(8192);
    submissions.incrementAndGet();
    SignedRecord r = SignedRecord.parse(body);
    synchronized (this) {
      if (!acceptSubmissions) {
        reply(x, 409, "{\"error\":\"taken\",\"reason\":\"the fake says no\"}");
        return;
      }
      List<byte[]> log = new ArrayList<>(served);
      log.add(r.encoded());
      serveEntries(log, log);
    }
    reply(x, 201, "{\"status\":\"added\",\"name\":\"" + r.record().name() + "\"}");
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
    }
    return out;
  }

  private static void reply(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  /** Stops answering: the port refuses connections. */
  @Override
  public void close() {
    server.stop(0);
  }
}
