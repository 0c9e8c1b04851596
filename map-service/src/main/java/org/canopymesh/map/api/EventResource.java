package org.canopymesh.map.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.canopymesh.map.live.EventLog;

/** Server-Sent Events for node, link and island changes; resumable with {@code Last-Event-ID}. */
@Path("/api/v1/events")
public class EventResource {
  @Inject EventLog events;

  /**
   * The stream. {@code after} is the {@code eventId} of a snapshot the client loaded (an
   * EventSource cannot set headers on its first request); {@code Last-Event-ID}, which browsers
   * send when they reconnect, wins over it.
   */
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void events(
      @Context SseEventSink sink,
      @Context Sse sse,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @QueryParam("after") String after) {
    events.subscribe(sink, sse, parse(lastEventId != null ? lastEventId : after));
  }

  /** A malformed id gets a {@code reset}: the client cannot know what it missed. */
  private static Long parse(String id) {
    if (id == null) {
      return null;
    }
    if (!id.matches("[0-9]{1,18}")) {
      return -1L;
    }
    return Long.parseLong(id);
  }
}
