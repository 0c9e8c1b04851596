package org.canopymesh.crawler.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.canopymesh.crawler.config.NamingConfig;
import org.canopymesh.crawler.log.Admission;
import org.canopymesh.crawler.log.Appended;
import org.canopymesh.crawler.log.LogBusyException;
import org.canopymesh.crawler.log.LogWriter;
import org.canopymesh.naming.ownership.Decision;
import org.canopymesh.naming.record.InvalidRecordException;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.RecordRules;
import org.canopymesh.naming.record.SignedRecord;

/**
 * {@code POST /api/v1/records}: anyone may submit a signed record. It is verified here, decided by
 * the ownership rules in log order, and answered only once it is committed.
 */
@Path("/api/v1/records")
public class RecordResource {
  private final LogWriter writer;
  private final RecordRules rules;
  private final SubmitLimiter limiter;
  private final Clock clock;

  @Inject
  RecordResource(LogWriter writer, NamingConfig naming, SubmitLimiter limiter, Clock clock) {
    this.writer = writer;
    this.rules = naming.recordRules();
    this.limiter = limiter;
    this.clock = clock;
  }

  /** The answer to a submission. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Submitted(
      String status, String name, Long index, String error, String reason, String owner) {}

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public CompletionStage<Response> submit(byte[] body, @Context HttpServerRequest request) {
    if (!limiter.tryAcquire(source(request))) {
      return done(
          Response.status(429)
              .header("Retry-After", "1")
              .entity(error("too many submissions from this address; slow down", null)));
    }
    SignedRecord record;
    try {
      record = rules.verify(body, clock.instant());
    } catch (InvalidRecordException e) {
      return done(Response.status(statusOf(e.reason())).entity(error(e.getMessage(), e)));
    }
    NameRecord r = record.record();
    return writer
        .submit(record, "submit", Admission.OWNERSHIP)
        .handle(
            (appended, failure) -> {
              if (failure != null) {
                return busy(failure);
              }
              return answer(r, appended);
            });
  }

  private static Response answer(NameRecord r, Appended a) {
    if (a instanceof Appended.Added added) {
      return json(201, new Submitted("appended", r.name(), added.index(), null, null, null));
    }
    if (a instanceof Appended.Present present) {
      return json(200, new Submitted("present", r.name(), present.index(), null, null, null));
    }
    return refused(r, ((Appended.Refused) a).decision());
  }

  private static Response refused(NameRecord r, Decision d) {
    String message =
        switch (d.outcome()) {
          case TAKEN -> r.name() + " is owned by another key";
          case STALE -> "the log holds a record for " + r.name() + " with this or a higher seq";
          case KEY_LIMIT -> "this key holds as many names as it may";
          case OUTSIDE_ZONE -> r.name() + " is outside this mirror's zones";
          case CLAIMED, RENEWED -> throw new IllegalStateException("accepted, not refused");
        };
    String owner = d.owner() == null ? null : d.owner().record().format();
    Long index = d.owner() == null ? null : d.owner().index();
    int status = d.outcome() == Decision.Outcome.OUTSIDE_ZONE ? 400 : 409;
    String reason = d.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    return json(status, new Submitted("refused", r.name(), index, message, reason, owner));
  }

  private static Response busy(Throwable failure) {
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof LogBusyException) {
      return Response.status(429)
          .header("Retry-After", "1")
          .type(MediaType.APPLICATION_JSON)
          .entity(error(cause.getMessage(), null))
          .build();
    }
    return json(503, error("the log could not append the record; try again", null));
  }

  static int statusOf(InvalidRecordException.Reason reason) {
    return switch (reason) {
      case BAD_SIGNATURE, ADDRESS_MISMATCH -> 403;
      case TOO_LARGE -> 413;
      default -> 400;
    };
  }

  private static Submitted error(String message, InvalidRecordException e) {
    return new Submitted(
        "refused", null, null, message, e == null ? null : e.reason().code(), null);
  }

  private static String source(HttpServerRequest request) {
    return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
  }

  private static CompletionStage<Response> done(Response.ResponseBuilder b) {
    return CompletableFuture.completedFuture(b.type(MediaType.APPLICATION_JSON).build());
  }

  private static Response json(int status, Object body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
  }
}
