package org.canopymesh.crawler.crawl;

/**
 * Where a node says it is: coordinates, or free text, or both unknown.
 *
 * @param lat latitude in degrees, -90 to 90, or null
 * @param lon longitude in degrees, -180 to 180, or null
 * @param text a place name as the node wrote it, or null
 */
public record Location(Double lat, Double lon, String text) {
  public boolean hasCoordinates() {
    return lat != null && lon != null;
  }
}
