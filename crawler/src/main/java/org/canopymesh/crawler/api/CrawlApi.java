package org.canopymesh.crawler.api;

/** Parsing what clients put in paths and queries. */
final class CrawlApi {
  private CrawlApi() {}

  static long id(String text) {
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new BadRequest(
        "\"" + (text.length() > 40 ? text.substring(0, 40) : text) + "\" is not a crawl id");
  }
}
