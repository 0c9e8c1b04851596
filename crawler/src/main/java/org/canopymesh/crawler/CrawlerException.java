package org.canopymesh.crawler;

/** Root of the crawler's exceptions; messages are for operators and never carry stack traces. */
public class CrawlerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CrawlerException(String message) {
    super(message);
  }

  public CrawlerException(String message, Throwable cause) {
    super(message, cause);
  }
}
