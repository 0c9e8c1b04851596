package org.canopymesh.agent.register;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.canopymesh.agent.AgentException;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.json.JsonTree;
import org.canopymesh.agent.mirror.MirrorApi;
import org.canopymesh.agent.mirror.MirrorException;
import org.canopymesh.agent.state.AtomicFiles;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.Service;
import org.canopymesh.naming.record.SignedRecord;

/**
 * The node's own names: signs records with the node key, submits them to every configured mirror,
 * keeps the accepted ones in {@code stateDir/records/<name>.record}, and renews them when a third
 * of their lifetime is left so that they never lapse while the node runs.
 */
public final class Registrar {
  private static final Logger LOG = Logger.getLogger(Registrar.class.getName());

  private final AgentConfig config;
  private final SigningKey key;
  private final MirrorApi api;
  private final Clock clock;
  private final Path dir;

  public Registrar(AgentConfig config, SigningKey key, MirrorApi api, Clock clock) {
    this.config = config;
    this.key = key;
    this.api = api;
    this.clock = clock;
    this.dir = config.stateDir().resolve("records");
  }

  /**
   * Signs and submits a record for {@code name}; stores it when the quorum of mirrors accepted it.
   *
   * @throws NamingException if the record would be invalid (name, zone, service, ttl)
   */
  public Registration register(
      String name, List<Service> services, List<String> texts, Duration ttl) {
    String full = config.qualify(name);
    long seq = clock.instant().getEpochSecond();
    Optional<SignedRecord> previous = stored(full);
    if (previous.isPresent()) {
      seq = Math.max(seq, previous.get().record().seq() + 1);
    }
    NameRecord.Builder b =
        NameRecord.builder().name(full).key(key.verifyingKey()).seq(seq).validity(now(), ttl);
    services.forEach(b::service);
    texts.forEach(b::text);
    return submitAndStore(b.build().sign(key));
  }

  /** Renews every stored record with a third or less of its lifetime left; returns the renewals. */
  public List<Registration> renewDue() {
    List<Registration> out = new ArrayList<>();
    Instant now = now();
    for (SignedRecord r : registered()) {
      if (isDue(r.record(), now)) {
        Registration renewed = submitAndStore(renewal(r.record(), now));
        if (!renewed.accepted()) {
          LOG.warning(
              () -> "renewing " + r.record().name() + " failed: " + answers(renewed.answers()));
        } else {
          LOG.info(() -> "renewed " + r.record().name());
        }
        out.add(renewed);
      }
    }
    return out;
  }

  static boolean isDue(NameRecord r, Instant now) {
    Duration life = Duration.between(r.issued(), r.expires());
    return !now.isBefore(r.expires().minus(life.dividedBy(3)));
  }

  private SignedRecord renewal(NameRecord r, Instant now) {
    NameRecord.Builder b =
        NameRecord.builder()
            .name(r.name())
            .key(key.verifyingKey())
            .seq(Math.max(r.seq() + 1, now.getEpochSecond()))
            .validity(now, Duration.between(r.issued(), r.expires()));
    r.services().forEach(b::service);
    r.texts().forEach(b::text);
    return b.build().sign(key);
  }

  private Registration submitAndStore(SignedRecord record) {
    List<Registration.Answer> answers = new ArrayList<>();
    for (AgentConfig.Mirror m : config.mirrors()) {
      answers.add(submit(m, record));
    }
    long accepted = answers.stream().filter(Registration.Answer::accepted).count();
    boolean ok = !config.mirrors().isEmpty() && accepted >= config.quorum();
    if (ok) {
      store(record);
    }
    return new Registration(record, answers, ok);
  }

  private Registration.Answer submit(AgentConfig.Mirror m, SignedRecord record) {
    try {
      MirrorApi.Submission s = api.submit(m.url(), record.encoded());
      return new Registration.Answer(m.url(), s.status(), s.outcome(), s.detail());
    } catch (MirrorException e) {
      return new Registration.Answer(m.url(), 0, "", e.getMessage());
    }
  }

  private static String answers(List<Registration.Answer> answers) {
    return String.join("; ", answers.stream().map(Registration.Answer::line).toList());
  }

  /** Stops renewing {@code name}; false if it was not registered here. */
  public boolean unregister(String name) {
    try {
      return AtomicFiles.delete(file(config.qualify(name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The stored records, in name order; unreadable files are skipped with a warning. */
  public List<SignedRecord> registered() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".record"))
          .sorted()
          .map(this::read)
          .flatMap(Optional::stream)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<SignedRecord> stored(String name) {
    Path f = file(name);
    return Files.exists(f) ? read(f) : Optional.empty();
  }

  private Optional<SignedRecord> read(Path f) {
    try {
      return Optional.of(SignedRecord.parse(Files.readAllBytes(f)));
    } catch (IOException | NamingException e) {
      LOG.warning(() -> "ignoring " + f + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private void store(SignedRecord r) {
    try {
      AtomicFiles.write(file(r.record().name()), r.encoded());
    } catch (IOException e) {
      throw new AgentException("cannot store the record in " + dir + ": " + e.getMessage(), e);
    }
  }

  private Path file(String name) {
    return dir.resolve(name + ".record");
  }

  private Instant now() {
    return clock.instant();
  }

  /**
   * The NodeInfo snippet that publishes {@code records} to crawlers: {@code "canopy": {"records":
   * [...]}}, for the {@code NodeInfo} of the node's Yggdrasil config.
   */
  public static String nodeInfo(List<SignedRecord> records) {
    List<String> notes = records.stream().map(SignedRecord::format).toList();
    return "\"canopy\": " + JsonTree.write(Map.of("records", notes));
  }
}
