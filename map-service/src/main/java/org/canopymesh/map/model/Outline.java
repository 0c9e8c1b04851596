package org.canopymesh.map.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The shape drawn for an island: the convex hull of small circles around its located members, so
 * that one or two nodes still make an area and the members never sit on the edge.
 */
final class Outline {
  /** About 150 m in latitude. */
  static final double MARGIN_DEGREES = 0.00135;

  private static final int CIRCLE_POINTS = 12;

  private Outline() {}

  /** The mean place of the points, or null when there are none. */
  static Point centre(List<Point> points) {
    if (points.isEmpty()) {
      return null;
    }
    double lat = 0;
    double lon = 0;
    for (Point p : points) {
      lat += p.lat();
      lon += p.lon();
    }
    return new Point(lat / points.size(), lon / points.size());
  }

  /** A closed ring (first point repeated last) around every point, or empty for no points. */
  static List<Point> around(List<Point> points) {
    if (points.isEmpty()) {
      return List.of();
    }
    List<Point> cloud = new ArrayList<>(points.size() * CIRCLE_POINTS);
    for (Point p : points) {
      double lonMargin = MARGIN_DEGREES / Math.max(0.1, Math.cos(Math.toRadians(p.lat())));
      for (int i = 0; i < CIRCLE_POINTS; i++) {
        double a = 2 * Math.PI * i / CIRCLE_POINTS;
        cloud.add(
            new Point(
                clamp(p.lat() + MARGIN_DEGREES * Math.sin(a), 90),
                clamp(p.lon() + lonMargin * Math.cos(a), 180)));
      }
    }
    List<Point> hull = hull(cloud);
    hull.add(hull.get(0));
    return hull;
  }

  private static double clamp(double v, double limit) {
    return Math.max(-limit, Math.min(limit, v));
  }

  /** Andrew's monotone chain, counter-clockwise (GeoJSON's exterior ring order). */
  static List<Point> hull(List<Point> points) {
    List<Point> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.comparingDouble(Point::lon).thenComparingDouble(Point::lat));
    int n = sorted.size();
    Point[] h = new Point[2 * n];
    int k = 0;
    for (Point p : sorted) {
      while (k >= 2 && cross(h[k - 2], h[k - 1], p) <= 0) {
        k--;
      }
      h[k++] = p;
    }
    for (int i = n - 2, lower = k + 1; i >= 0; i--) {
      Point p = sorted.get(i);
      while (k >= lower && cross(h[k - 2], h[k - 1], p) <= 0) {
        k--;
      }
      h[k++] = p;
    }
    List<Point> out = new ArrayList<>(k);
    for (int i = 0; i < Math.max(1, k - 1); i++) {
      out.add(h[i]);
    }
    return out;
  }

  private static double cross(Point o, Point a, Point b) {
    return (a.lon() - o.lon()) * (b.lat() - o.lat()) - (a.lat() - o.lat()) * (b.lon() - o.lon());
  }
}
