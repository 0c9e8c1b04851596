package org.canopymesh.map.model;

/** A place in WGS 84 degrees. */
public record Point(double lat, double lon) {
  public Point {
    if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
      throw new IllegalArgumentException("not a place on Earth: " + lat + ", " + lon);
    }
  }

  /** The place, or null when either coordinate is missing or out of range. */
  public static Point ofNullable(Double lat, Double lon) {
    if (lat == null || lon == null || !(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) {
      return null;
    }
    return new Point(lat, lon);
  }
}
