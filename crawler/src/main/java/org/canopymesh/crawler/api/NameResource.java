package org.canopymesh.crawler.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.canopymesh.crawler.log.LogStore;
import org.canopymesh.crawler.log.LogWriter;
import org.canopymesh.crawler.log.NameView;
import org.canopymesh.crawler.log.SignedCheckpoint;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.note.StrictBase64;
import org.canopymesh.naming.ownership.LoggedRecord;
import org.canopymesh.naming.ownership.NameStatus;
import org.canopymesh.naming.record.DnsNames;
import org.canopymesh.naming.record.NameRecord;

/**
 * {@code GET /api/v1/names/{name}}: who owns a name in this log, as of the latest checkpoint, with
 * the proof that the owner's record is in it. A name that this log's owner and a peer's first owner
 * disagree on is {@code contested}: both claims come back, each with its proof.
 */
@Path("/api/v1/names/{name}")
public class NameResource {
  @Inject LogWriter writer;
  @Inject LogStore store;
  @Inject Clock clock;

  /** A claim to the name: the record note, its index and the inclusion proof. */
  public record Claim(String record, long index, List<String> proof) {}

  /** The answer. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NameAnswer(
      String name,
      String status,
      String record,
      long index,
      List<String> proof,
      String checkpoint,
      List<Claim> claims) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public NameAnswer get(@PathParam("name") String raw) {
    String name;
    try {
      name = DnsNames.normalize(raw);
    } catch (NamingException e) {
      throw new BadRequest("malformed name: " + e.getMessage());
    }
    // The view first, then the checkpoint: the view's index is then inside the checkpoint.
    NameView view = writer.name(name).orElseThrow(NameResource::noSuchName);
    SignedCheckpoint c = writer.checkpoint();
    long committed = writer.size();
    Instant now = clock.instant();
    NameRecord owner = view.owner().record().record();
    NameStatus status = writer.status(owner, now);
    if (status == NameStatus.FREE) {
      throw noSuchName();
    }
    List<LoggedRecord> rivals = view.liveRivals(now);
    List<String> proof = proof(view.owner(), c, committed);
    List<Claim> claims = null;
    String label = status.name().toLowerCase(Locale.ROOT);
    if (!rivals.isEmpty()) {
      label = "contested";
      claims =
          java.util.stream.Stream.concat(java.util.stream.Stream.of(view.owner()), rivals.stream())
              .map(r -> new Claim(r.record().format(), r.index(), proof(r, c, committed)))
              .toList();
    }
    return new NameAnswer(
        name,
        label,
        view.owner().record().format(),
        view.owner().index(),
        proof,
        store.served(c),
        claims);
  }

  private List<String> proof(LoggedRecord r, SignedCheckpoint c, long committed) {
    return store.inclusion(r.index(), c.size(), committed).stream()
        .map(StrictBase64::encode)
        .toList();
  }

  private static NotFoundException noSuchName() {
    return new NotFoundException(ErrorMappers.json(404, new ApiError("no such name")));
  }
}
