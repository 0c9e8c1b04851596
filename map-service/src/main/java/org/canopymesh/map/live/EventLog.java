package org.canopymesh.map.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * The live event stream: numbers every change, keeps the last {@value #KEPT} for clients that
 * reconnect with {@code Last-Event-ID}, and sends each to every connected client.
 *
 * <p>Ids start at the service's start time in microseconds, so they keep increasing across restarts
 * and a client that reconnects to a restarted service is told to {@code reset} rather than given
 * events that do not follow its own.
 */
@ApplicationScoped
public class EventLog {
  private static final Logger LOG = Logger.getLogger(EventLog.class);
  static final int KEPT = 10_000;

  /** An event as sent: its id, type and JSON data. */
  public record Event(long id, String type, String data) {}

  private record Client(SseEventSink sink, Sse sse) {}

  private final Deque<Event> kept = new ArrayDeque<>();
  private final List<Client> clients = new CopyOnWriteArrayList<>();
  private final ObjectMapper json;
  private long nextId;

  @Inject
  EventLog(ObjectMapper json, Clock clock) {
    this.json = json;
    this.nextId = clock.millis() * 1000;
  }

  /**
   * Numbers, keeps and sends the changes, in order.
   *
   * @return the id of the last event sent so far, these included
   */
  public synchronized long publish(List<Change> changes) {
    for (Change c : changes) {
      Event e = new Event(nextId++, c.type(), serialise(c.data()));
      kept.addLast(e);
      if (kept.size() > KEPT) {
        kept.removeFirst();
      }
      clients.forEach(client -> send(client, e));
    }
    return nextId - 1;
  }

  /**
   * Connects a client: first what it missed since {@code lastEventId} (or {@code reset} when that
   * is no longer kept), then every new event.
   */
  public synchronized void subscribe(SseEventSink sink, Sse sse, Long lastEventId) {
    Client client = new Client(sink, sse);
    if (lastEventId != null) {
      Event oldest = kept.peekFirst();
      long first = oldest == null ? nextId : oldest.id();
      if (lastEventId + 1 < first || lastEventId >= nextId) {
        send(client, new Event(nextId - 1, "reset", "{}"));
      } else {
        for (Event e : kept) {
          if (e.id() > lastEventId) {
            send(client, e);
          }
        }
      }
    }
    clients.add(client);
  }

  /** The number of connected clients. */
  public int clients() {
    return clients.size();
  }

  /** Keeps idle connections open through proxies, and finds clients that went away. */
  @Scheduled(every = "15s", delayed = "15s")
  void keepAlive() {
    for (Client c : clients) {
      if (c.sink().isClosed()) {
        clients.remove(c);
      } else {
        c.sink()
            .send(c.sse().newEventBuilder().comment("keep-alive").build())
            .whenComplete(
                (ok, t) -> {
                  if (t != null) {
                    drop(c);
                  }
                });
      }
    }
  }

  private void send(Client c, Event e) {
    if (c.sink().isClosed()) {
      clients.remove(c);
      return;
    }
    OutboundSseEvent out =
        c.sse().newEventBuilder().id(Long.toString(e.id())).name(e.type()).data(e.data()).build();
    c.sink()
        .send(out)
        .whenComplete(
            (ok, t) -> {
              if (t != null) {
                drop(c);
              }
            });
  }

  private void drop(Client c) {
    clients.remove(c);
    try {
      c.sink().close();
    } catch (RuntimeException e) {
      LOG.debugf("closing an event stream failed: %s", e.getMessage());
    }
  }

  private String serialise(Object data) {
    try {
      return json.writeValueAsString(data == null ? Map.of() : data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an event does not serialise", e);
    }
  }
}
