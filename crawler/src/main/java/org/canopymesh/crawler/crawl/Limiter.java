package org.canopymesh.crawler.crawl;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs asynchronous calls with at most {@code limit} in flight; the rest wait in order. Used only
 * from the crawl's own thread: completions come back through {@code home}.
 */
final class Limiter {
  private final int limit;
  private final Executor home;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int running;

  Limiter(int limit, Executor home) {
    this.limit = limit;
    this.home = home;
  }

  <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
    CompletableFuture<T> out = new CompletableFuture<>();
    Runnable start =
        () -> {
          running++;
          CompletableFuture<T> f;
          try {
            f = call.get();
          } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
          }
          f.whenCompleteAsync(
              (v, e) -> {
                running--;
                next();
                if (e == null) {
                  out.complete(v);
                } else {
                  out.completeExceptionally(e);
                }
              },
              home);
        };
    if (running < limit) {
      start.run();
    } else {
      waiting.add(start);
    }
    return out;
  }

  private void next() {
    while (running < limit && !waiting.isEmpty()) {
      waiting.poll().run();
    }
  }

  int running() {
    return running;
  }

  int waiting() {
    return waiting.size();
  }

  /** Drops the calls that have not started (the crawl is over). */
  void clear() {
    waiting.clear();
  }
}
