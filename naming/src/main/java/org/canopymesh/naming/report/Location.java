package org.canopymesh.naming.report;

import static org.canopymesh.naming.report.InvalidReportException.Reason.MALFORMED_FIELD;

/**
 * A published location in WGS 84 degrees, held in units of 10<sup>-7</sup> degree (about 1 cm), so
 * that it has one spelling in a report.
 *
 * @param latE7 latitude times 10<sup>7</sup>, -90..90 degrees
 * @param lonE7 longitude times 10<sup>7</sup>, -180..180 degrees
 */
public record Location(long latE7, long lonE7) {
  static final int SCALE = 7;
  private static final long DEGREE = 10_000_000L;

  public Location {
    if (Math.abs(latE7) > 90 * DEGREE || Math.abs(lonE7) > 180 * DEGREE) {
      throw new InvalidReportException(
          MALFORMED_FIELD,
          "a location is lat -90..90 and lon -180..180, not " + text(latE7) + " " + text(lonE7));
    }
  }

  /** The location nearest to {@code lat}, {@code lon} (degrees) in 10<sup>-7</sup> degree. */
  public static Location ofDegrees(double lat, double lon) {
    if (!Double.isFinite(lat) || !Double.isFinite(lon)) {
      throw new InvalidReportException(MALFORMED_FIELD, "a location must be finite numbers");
    }
    return new Location(Math.round(lat * DEGREE), Math.round(lon * DEGREE));
  }

  public double lat() {
    return latE7 / (double) DEGREE;
  }

  public double lon() {
    return lonE7 / (double) DEGREE;
  }

  /** {@code <lat> <lon>} as the report line has it. */
  String line() {
    return text(latE7) + " " + text(lonE7);
  }

  static Location parse(String value) {
    String[] w = value.split(" ", -1);
    if (w.length != 2) {
      throw new InvalidReportException(MALFORMED_FIELD, "location is \"location <lat> <lon>\"");
    }
    return new Location(
        Decimals.parse("lat", w[0], SCALE, -90 * DEGREE, 90 * DEGREE),
        Decimals.parse("lon", w[1], SCALE, -180 * DEGREE, 180 * DEGREE));
  }

  private static String text(long e7) {
    return Decimals.format(e7, SCALE);
  }
}
