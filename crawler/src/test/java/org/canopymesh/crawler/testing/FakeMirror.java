package org.canopymesh.crawler.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.canopymesh.naming.checkpoint.Checkpoint;
import org.canopymesh.naming.checkpoint.Cosignatures;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.log.MerkleTree;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.note.NoteKeys;
import org.canopymesh.naming.note.NoteSignature;
import org.canopymesh.naming.note.NoteSigner;
import org.canopymesh.naming.note.SignatureType;
import org.canopymesh.naming.note.StrictBase64;
import org.canopymesh.naming.note.VerifierKey;

/**
 * A hostile peer mirror for tests: the read side of the mirror API ({@code /api/v1/log/checkpoint},
 * {@code /entries}, {@code /proof/consistency}) on the JDK's HTTP server, with its own Ed25519 key
 * and origin, serving whatever it is told to.
 *
 * <p>What it serves is two things that an honest mirror keeps equal and this one need not: the
 * <em>checkpointed</em> log, whose tree its checkpoint is signed over and its consistency proofs
 * are taken from, and the <em>served</em> entries, which {@code /entries} hands out. It can also
 * sign any checkpoint at all, and, as a log, submit its checkpoints to a real mirror's witness
 * endpoint.
 */
public final class FakeMirror implements AutoCloseable {
  private final HttpServer server;
  private final String origin;
  private final NoteSigner signer;
  private final NoteSigner cosigner;
  private final VerifierKey verifierKey;
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> askedToCosign = new ConcurrentHashMap<>();

  // What it serves; guarded by this.
  private List<String> served = List.of();
  private MerkleTree tree = new MerkleTree();
  private String checkpoint;

  private FakeMirror(String origin) {
    this.origin = origin;
    SigningKey key = SigningKey.generate(new SecureRandom());
    this.signer = NoteKeys.signer(origin, key);
    this.cosigner = Cosignatures.cosigner(origin, key, Clock.systemUTC());
    this.verifierKey = new VerifierKey(origin, SignatureType.ED25519, key.verifyingKey());
    this.checkpoint = sign(tree.size(), tree.root());
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** A fake mirror whose key is named {@code origin}, listening on 127.0.0.1, serving nothing. */
  public static FakeMirror start(String origin) {
    return new FakeMirror(origin);
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public String origin() {
    return origin;
  }

  public VerifierKey verifierKey() {
    return verifierKey;
  }

  /** This fake as an item of {@code canopy.mirror.peers}. */
  public String peerItem() {
    return url() + " " + verifierKey;
  }

  // ---- what it serves ----

  /** Serves {@code log} with a checkpoint signed over its root: the log is as it claims. */
  public synchronized String serve(List<String> log) {
    return serve(log, log);
  }

  /**
   * Signs a checkpoint over {@code checkpointed} and takes consistency proofs from its tree, but
   * serves {@code served} as the entries: where they differ, its entries do not match its root.
   */
  public synchronized String serve(List<String> checkpointed, List<String> served) {
    MerkleTree t = new MerkleTree();
    for (String e : checkpointed) {
      t.append(e.getBytes(StandardCharsets.UTF_8));
    }
    this.tree = t;
    this.served = List.copyOf(served);
    this.checkpoint = sign(t.size(), t.root());
    return checkpoint;
  }

  /** Serves {@code note} as its checkpoint, whatever it says; returns it. */
  public synchronized String serveCheckpoint(String note) {
    this.checkpoint = note;
    return note;
  }

  /** The checkpoint note it serves now. */
  public synchronized String checkpoint() {
    return checkpoint;
  }

  /** The root of its checkpointed tree at {@code size}. */
  public synchronized byte[] root(long size) {
    return tree.root(size);
  }

  /** A consistency proof in its checkpointed tree. */
  public synchronized List<byte[]> consistency(long from, long to) {
    return tree.consistencyProof(from, to);
  }

  /** A checkpoint note of any size and root, signed by this fake's key. */
  public String sign(long size, byte[] root) {
    return new Checkpoint(origin, size, root).sign(signer).format();
  }

  /**
   * Requests received for {@code path} (without the query), e.g. {@code /api/v1/log/checkpoint}.
   */
  public int requests(String path) {
    AtomicInteger n = requests.get(path);
    return n == null ? 0 : n.get();
  }

  /** How many times it was asked to cosign the checkpoint note {@code note}. */
  public int timesAskedToCosign(String note) {
    AtomicInteger n = askedToCosign.get(note);
    return n == null ? 0 : n.get();
  }

  // ---- notes a forger makes ----

  /**
   * {@code note} with one bit of its first signature flipped: well formed, but it does not verify.
   */
  public static String breakSignature(String note) {
    Note n = Note.parse(note);
    NoteSignature s = n.signatures().get(0);
    byte[] sig = s.signature();
    sig[sig.length / 2] ^= 0x01;
    return Note.unsigned(n.text())
        .withSignature(new NoteSignature(s.keyName(), s.keyId(), sig))
        .format();
  }

  // ---- as a log, before a witness ----

  /** A tlog-witness add-checkpoint body. */
  public static String addCheckpointBody(long oldSize, List<byte[]> proof, String checkpoint) {
    StringBuilder b = new StringBuilder("old ").append(oldSize).append('\n');
    for (byte[] h : proof) {
      b.append(StrictBase64.encode(h)).append('\n');
    }
    return b.append('\n').append(checkpoint).toString();
  }

  /** Submits a checkpoint to {@code witness}'s {@code /api/v1/witness/add-checkpoint}. */
  public static HttpResponse<String> submitToWitness(
      URI witness, long oldSize, List<byte[]> proof, String checkpoint) {
    HttpRequest r =
        HttpRequest.newBuilder(witness.resolve("/api/v1/witness/add-checkpoint"))
            .header("Content-Type", "text/plain; charset=utf-8")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    addCheckpointBody(oldSize, proof, checkpoint), StandardCharsets.UTF_8))
            .build();
    try {
      return MirrorProcess.HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- HTTP ----

  private void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    try {
      Map<String, String> q = query(x.getRequestURI().getRawQuery());
      if ("POST".equals(x.getRequestMethod()) && path.equals("/api/v1/witness/add-checkpoint")) {
        reply(x, 200, "text/plain", forgeCosignature(x.getRequestBody().readAllBytes()));
        return;
      }
      switch (path) {
        case "/api/v1/log/checkpoint" -> reply(x, 200, "text/plain", checkpoint());
        case "/api/v1/log/entries" -> entries(x, q);
        case "/api/v1/log/proof/consistency" -> consistency(x, q);
        default -> reply(x, 404, "text/plain", "no such path\n");
      }
    } catch (RuntimeException e) {
      reply(x, 400, "text/plain", e + "\n");
    } finally {
      x.close();
    }
  }

  /**
   * Asked to cosign, it answers with a line under its cosignature key name and ID whose signature
   * is over another checkpoint: well formed, and false.
   */
  private String forgeCosignature(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    String asked = text.substring(text.indexOf("\n\n") + 2);
    askedToCosign.computeIfAbsent(asked, a -> new AtomicInteger()).incrementAndGet();
    Note note = Note.parse(asked);
    byte[] other = (note.text() + "not-what-was-asked\n").getBytes(StandardCharsets.UTF_8);
    return new NoteSignature(cosigner.keyName(), cosigner.keyId(), cosigner.sign(other)).line()
        + "\n";
  }

  private void entries(HttpExchange x, Map<String, String> q) throws IOException {
    long start = Long.parseLong(q.get("start"));
    long end = Long.parseLong(q.get("end"));
    List<String> page;
    synchronized (this) {
      if (start < 0 || start >= served.size() || end <= start) {
        reply(x, 400, "text/plain", "bad range\n");
        return;
      }
      page = new ArrayList<>(served.subList((int) start, (int) Math.min(end, served.size())));
    }
    reply(x, 200, "application/json", json(page));
  }

  private void consistency(HttpExchange x, Map<String, String> q) throws IOException {
    long from = Long.parseLong(q.get("from"));
    long to = Long.parseLong(q.get("to"));
    List<byte[]> proof;
    synchronized (this) {
      if (from < 0 || from > to || to > tree.size()) {
        reply(x, 400, "text/plain", "bad range\n");
        return;
      }
      proof = tree.consistencyProof(from, to);
    }
    reply(
        x,
        200,
        "application/json",
        json(Map.of("proof", proof.stream().map(StrictBase64::encode).toList())));
  }

  private static String json(Object o) {
    try {
      return MirrorProcess.JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
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

  private static void reply(HttpExchange x, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
