package org.canopymesh.agent.cli;

import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per event on stderr ({@code 2026-11-21T12:00:00Z WARNING sync: ...}), which journald and
 * a terminal both read well. A throwable's stack trace is printed only at FINE, where a developer
 * asked for it; operators see its message.
 */
final class LogFormat extends Formatter {
  static void install() {
    Logger root = Logger.getLogger("");
    for (var h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler h = new ConsoleHandler();
    h.setFormatter(new LogFormat());
    h.setLevel(Level.ALL);
    root.addHandler(h);
    root.setLevel(Level.INFO);
    // Netty logs its internals at INFO/DEBUG through JUL; only its warnings matter to operators.
    Logger.getLogger("io.netty").setLevel(Level.WARNING);
  }

  @Override
  public String format(LogRecord r) {
    String source = r.getLoggerName() == null ? "" : r.getLoggerName();
    source = source.substring(source.lastIndexOf('.') + 1);
    StringBuilder b =
        new StringBuilder()
            .append(Instant.ofEpochMilli(r.getMillis()))
            .append(' ')
            .append(r.getLevel().getName())
            .append(' ')
            .append(source)
            .append(": ")
            .append(formatMessage(r));
    if (r.getThrown() != null) {
      b.append(": ").append(r.getThrown());
    }
    return b.append(System.lineSeparator()).toString();
  }
}
