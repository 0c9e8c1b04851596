package org.canopymesh.agent.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One message in, at most one answer out: the part shared by UDP and TCP. */
final class Responder {
  private static final Logger LOG = Logger.getLogger(Responder.class.getName());

  private final Resolver resolver;
  private final Optional<Forwarder> forwarder;
  private final Counters counters;

  Responder(Resolver resolver, Optional<Forwarder> forwarder, Counters counters) {
    this.resolver = resolver;
    this.forwarder = forwarder;
    this.counters = counters;
  }

  Counters counters() {
    return counters;
  }

  /**
   * The answer to {@code message} (its readable bytes, left unread), which the caller then owns;
   * null when there is none now: dropped, or forwarded, and then {@code later} gets the answer.
   *
   * @param tcp whether it came over TCP, where answers may be as large as 65535 bytes
   */
  ByteBuf respond(ByteBufAllocator alloc, ByteBuf message, boolean tcp, Consumer<ByteBuf> later) {
    counters.add(Counters.Event.QUERY);
    if (tcp) {
      counters.add(Counters.Event.TCP_QUERY);
    }
    Incoming in = QueryReader.read(ByteBufUtil.getBytes(message));
    if (in instanceof Incoming.Reject r) {
      ByteBuf out = ResponseWriter.reject(alloc, r);
      counters.response(out, r.rcode());
      return out;
    }
    if (!(in instanceof Query q)) {
      counters.add(Counters.Event.MALFORMED_DROPPED);
      return null;
    }
    int limit = tcp ? Header.MAX_TCP : q.udpLimit();
    Reply reply = resolve(q);
    if (reply instanceof Answer a) {
      return answer(alloc, q, a, limit);
    }
    forwarder.orElseThrow().forward(q, limit, later);
    return null;
  }

  private ByteBuf answer(ByteBufAllocator alloc, Query q, Answer a, int limit) {
    Answer sent = a;
    ByteBuf out;
    try {
      out = ResponseWriter.write(alloc, q, a, limit);
    } catch (RuntimeException e) {
      if (counters.error()) {
        LOG.log(Level.WARNING, "a DNS answer could not be encoded", e);
      }
      sent = Answer.error(Rcode.SERVFAIL);
      out = ResponseWriter.write(alloc, q, sent, limit);
    }
    counters.response(out, sent.rcode());
    return out;
  }

  private Reply resolve(Query q) {
    if (q.edns().isPresent() && q.edns().get().version() != 0) {
      return Answer.error(Rcode.BADVERS);
    }
    try {
      return resolver.resolve(q);
    } catch (RuntimeException e) {
      // A bug, or a name source that failed: one SERVFAIL, not a dead server.
      if (counters.error()) {
        LOG.log(Level.WARNING, "a DNS query of type " + q.type() + " failed", e);
      }
      return Answer.error(Rcode.SERVFAIL);
    }
  }
}
