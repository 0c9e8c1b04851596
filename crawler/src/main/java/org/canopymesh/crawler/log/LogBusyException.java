package org.canopymesh.crawler.log;

import org.canopymesh.crawler.CrawlerException;

/** The append queue is full: the caller should slow down. */
public final class LogBusyException extends CrawlerException {
  private static final long serialVersionUID = 1L;

  LogBusyException(int limit) {
    super("the log has " + limit + " records waiting to be appended; try again shortly");
  }
}
