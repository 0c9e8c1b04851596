package org.canopymesh.crawler.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error answer: {@code {"error": "..."}}, sometimes with the id it concerns.
 *
 * @param error what went wrong, in words for people
 * @param id the crawl concerned, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, Long id) {
  public ApiError(String error) {
    this(error, null);
  }
}
