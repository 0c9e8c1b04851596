package org.canopymesh.map.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import org.canopymesh.map.config.MapConfig;
import org.canopymesh.map.live.LiveMap;
import org.canopymesh.map.model.LinkStatus;
import org.canopymesh.map.model.MapLink;
import org.canopymesh.map.model.MapNode;
import org.canopymesh.map.model.Snapshot;
import org.canopymesh.map.view.Rendered;
import org.canopymesh.map.view.Views;

/**
 * The map as a whole: GeoJSON for the page, the full graph, islands, statistics and the page's
 * settings. The map and graph are rendered once per snapshot and served gzipped with the snapshot's
 * version as ETag.
 */
@Path("/api/v1")
public class MapResource {
  static final MediaType GEO_JSON = new MediaType("application", "geo+json");

  @Inject LiveMap live;
  @Inject MapConfig config;

  /** Located nodes (Points), links between them (LineStrings) and islands (Polygons). */
  @GET
  @Path("/map")
  @Produces({"application/geo+json", MediaType.APPLICATION_JSON})
  public Response map(
      @jakarta.ws.rs.core.Context Request request,
      @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String encoding) {
    Rendered r = rendered();
    return gzipped(request, encoding, "map-" + r.version(), r.mapGzip(), GEO_JSON);
  }

  /** Every node and link, located or not, for the graph view and search. */
  @GET
  @Path("/graph")
  @Produces(MediaType.APPLICATION_JSON)
  public Response graph(
      @jakarta.ws.rs.core.Context Request request,
      @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String encoding) {
    Rendered r = rendered();
    return gzipped(
        request, encoding, "graph-" + r.version(), r.graphGzip(), MediaType.APPLICATION_JSON_TYPE);
  }

  @GET
  @Path("/islands")
  @Produces(MediaType.APPLICATION_JSON)
  public java.util.List<Views.IslandView> islands() {
    return live.snapshot().islands().stream().map(Views.IslandView::of).toList();
  }

  /** Counts of nodes by state, islands, and links by state and kind. */
  @GET
  @Path("/stats")
  @Produces(MediaType.APPLICATION_JSON)
  public Views.Stats stats() {
    Snapshot s = live.snapshot();
    int online = 0;
    int offline = 0;
    int lost = 0;
    int fresh = 0;
    for (MapNode n : s.nodes()) {
      switch (n.state()) {
        case ONLINE -> online++;
        case OFFLINE -> offline++;
        case LOST -> lost++;
      }
      fresh += n.isNew() ? 1 : 0;
    }
    int[] byStatus = new int[LinkStatus.values().length];
    int local = 0;
    for (MapLink l : s.links()) {
      byStatus[l.status().ordinal()]++;
      local += l.kind() == org.canopymesh.map.model.LinkKind.LOCAL ? 1 : 0;
    }
    return new Views.Stats(
        new Views.NodeCounts(s.nodes().size(), online, offline, lost, fresh),
        s.islands().size(),
        new Views.LinkCounts(
            s.links().size(),
            byStatus[LinkStatus.LIVE.ordinal()],
            byStatus[LinkStatus.STALE.ordinal()],
            byStatus[LinkStatus.DOWN.ordinal()],
            local,
            s.links().size() - local),
        s.at());
  }

  /** What the page needs before it draws: the tile layer and the report interval. */
  @GET
  @Path("/settings")
  @Produces(MediaType.APPLICATION_JSON)
  public Views.Settings settings() {
    return new Views.Settings(
        config.tileUrl().strip().equals("none") ? "" : config.tileUrl().strip(),
        config.tileAttribution(),
        config.freshness().reportInterval().toString());
  }

  private Rendered rendered() {
    Rendered r = live.rendered();
    if (r == null) {
      throw new jakarta.ws.rs.ServiceUnavailableException("the map is being computed", 1L);
    }
    return r;
  }

  static Response gzipped(
      Request request, String encoding, String tag, byte[] gzip, MediaType type) {
    EntityTag etag = new EntityTag(tag);
    Response.ResponseBuilder unchanged = request.evaluatePreconditions(etag);
    if (unchanged != null) {
      return unchanged.build();
    }
    boolean acceptsGzip =
        encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("gzip");
    Response.ResponseBuilder r =
        Response.ok(acceptsGzip ? gzip : gunzip(gzip), type)
            .tag(etag)
            .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING)
            .header(HttpHeaders.CACHE_CONTROL, "no-cache");
    if (acceptsGzip) {
      r.header("Content-Encoding", "gzip");
    }
    return r.build();
  }

  private static byte[] gunzip(byte[] gzip) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
