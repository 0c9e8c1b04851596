package org.canopymesh.agent.dns;

import io.netty.buffer.ByteBuf;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The live counts behind {@link DnsCounters}; every event-loop thread adds to them. */
final class Counters {
  enum Event {
    QUERY,
    TCP_QUERY,
    FORWARDED,
    RATE_LIMITED,
    OVERLOADED,
    MALFORMED_DROPPED,
    ERROR,
    NOERROR,
    NXDOMAIN,
    REFUSED,
    FORMERR,
    SERVFAIL,
    NOTIMP,
    NODATA,
    TRUNCATED
  }

  private final Map<Event, LongAdder> counts = new EnumMap<>(Event.class);

  Counters() {
    for (Event e : Event.values()) {
      counts.put(e, new LongAdder());
    }
  }

  void add(Event e) {
    counts.get(e).increment();
  }

  /**
   * Counts a failure; whether to log it: the 1st, 2nd, 4th, 8th... so that a bug that hits every
   * query cannot flood the log.
   */
  boolean error() {
    LongAdder errors = counts.get(Event.ERROR);
    errors.increment();
    long n = errors.sum();
    return (n & (n - 1)) == 0;
  }

  /** Counts an answer of ours: its code, and what its header says (TC, no answer records). */
  void response(ByteBuf r, Rcode rcode) {
    add(
        switch (rcode) {
          case NOERROR -> Event.NOERROR;
          case SERVFAIL -> Event.SERVFAIL;
          case NXDOMAIN -> Event.NXDOMAIN;
          case NOTIMP -> Event.NOTIMP;
          case REFUSED -> Event.REFUSED;
          case FORMERR, BADVERS -> Event.FORMERR;
        });
    long header = r.getLong(r.readerIndex()); // ID, flags, QDCOUNT, ANCOUNT in one read
    boolean truncated = ((header >>> 32) & Header.TC) != 0;
    if (truncated) {
      add(Event.TRUNCATED);
    } else if (rcode == Rcode.NOERROR && (header & 0xffff) == 0) {
      add(Event.NODATA);
    }
  }

  /** Counts a forwarded response from its header, which is all it tells us. */
  void forwardedResponse(ByteBuf r) {
    int code = r.getUnsignedShort(r.readerIndex() + 2) & Header.RCODE;
    Rcode rcode = Rcode.FORMERR;
    for (Rcode c : Rcode.values()) {
      if (c.code == code) {
        rcode = c;
      }
    }
    response(r, rcode);
  }

  DnsCounters snapshot() {
    return new DnsCounters(
        get(Event.QUERY),
        get(Event.NOERROR),
        get(Event.NXDOMAIN),
        get(Event.REFUSED),
        get(Event.FORMERR),
        get(Event.SERVFAIL),
        get(Event.NOTIMP),
        get(Event.NODATA),
        get(Event.TRUNCATED),
        get(Event.TCP_QUERY),
        get(Event.FORWARDED),
        get(Event.RATE_LIMITED),
        get(Event.OVERLOADED),
        get(Event.MALFORMED_DROPPED),
        get(Event.ERROR));
  }

  private long get(Event e) {
    return counts.get(e).sum();
  }
}
