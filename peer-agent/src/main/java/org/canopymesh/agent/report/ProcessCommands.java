package org.canopymesh.agent.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tools with {@link ProcessBuilder}, bounded in time and output: past the time limit or the
 * output limit the process and its children are killed. Output is read by two short-lived daemon
 * threads, so a tool that fills its pipe cannot block, and a missing program is a {@link
 * CommandException}, not a crash.
 */
final class ProcessCommands implements Commands {
  /** batctl and iw answer in milliseconds; a hung netlink call must not hold a report up. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** An originator table of a few thousand nodes is about 200 KiB. */
  static final int DEFAULT_MAX_OUTPUT = 256 * 1024;

  private static final int MAX_STDERR = 8 * 1024;

  private final Duration timeout;
  private final int maxOutput;

  ProcessCommands(Duration timeout, int maxOutput) {
    this.timeout = timeout;
    this.maxOutput = maxOutput;
  }

  ProcessCommands() {
    this(DEFAULT_TIMEOUT, DEFAULT_MAX_OUTPUT);
  }

  @Override
  public Result run(List<String> command) {
    String name = String.join(" ", command);
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().put("LC_ALL", "C"); // the layouts the parsers know
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      String why = String.valueOf(e.getMessage());
      if (why.contains("error=2") || why.contains("No such file")) {
        throw new CommandException(
            CommandException.Kind.MISSING, command.get(0) + " is not installed (or not on PATH)");
      }
      throw new CommandException(CommandException.Kind.FAILED, "cannot run " + name + ": " + why);
    }
    try {
      p.getOutputStream().close(); // no input: a tool that asks for some gets end of file
      Capture out = Capture.start(p, p.getInputStream(), maxOutput, "stdout");
      Capture err = Capture.start(p, p.getErrorStream(), MAX_STDERR, "stderr");
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(p);
        throw new CommandException(
            CommandException.Kind.TIMEOUT,
            name + " did not finish within " + timeout.toMillis() + " ms and was stopped");
      }
      // A child that outlives the tool may hold the pipes open: do not wait for it for long.
      long until = System.nanoTime() + 1_000_000_000L;
      out.await(until);
      err.await(until);
      if (out.overflow) {
        throw new CommandException(
            CommandException.Kind.TOO_LARGE,
            name + " printed more than " + maxOutput / 1024 + " KiB and was stopped");
      }
      return new Result(p.exitValue(), out.text(), err.text());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandException(CommandException.Kind.FAILED, name + " was interrupted");
    } catch (IOException e) {
      throw new CommandException(CommandException.Kind.FAILED, name + ": " + e.getMessage());
    } finally {
      if (p.isAlive() || p.descendants().findAny().isPresent()) {
        kill(p);
      }
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  /** Reads one stream up to a limit on its own thread; past the limit, kills the process. */
  private static final class Capture implements Runnable {
    final Process process;
    final InputStream in;
    final int max;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final Thread thread;
    volatile boolean overflow;

    private Capture(Process process, InputStream in, int max, String what) {
      this.process = process;
      this.in = in;
      this.max = max;
      this.thread = new Thread(this, "canopy-command-" + what);
      thread.setDaemon(true);
    }

    static Capture start(Process p, InputStream in, int max, String what) {
      Capture c = new Capture(p, in, max, what);
      c.thread.start();
      return c;
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try (in) {
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          synchronized (bytes) {
            if (bytes.size() + n > max) {
              bytes.write(buf, 0, max - bytes.size());
              overflow = true;
              kill(process);
              return;
            }
            bytes.write(buf, 0, n);
          }
        }
      } catch (IOException e) {
        // The process was killed or the stream closed: what was read stays.
      }
    }

    /**
     * Waits until {@code deadline} ({@link System#nanoTime()}) for the end of the stream. A child
     * the tool left behind may hold the pipe open for as long as it lives; then the text read so
     * far is the output, and this daemon thread is left to finish when the pipe closes (closing the
     * stream from here could block on the reader).
     */
    void await(long deadline) throws InterruptedException {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      thread.join(Math.max(1, left));
    }

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
