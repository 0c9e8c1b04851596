package org.canopymesh.crawler.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.canopymesh.crawler.crawl.CrawlService;
import org.canopymesh.crawler.store.CrawlRun;
import org.canopymesh.crawler.store.TopologyStore;
import org.canopymesh.crawler.store.Views;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.address.OverlayAddress;

/** What the crawls found: the topology of a crawl, and single nodes. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class TopologyResource {
  @Inject TopologyStore store;
  @Inject CrawlService crawls;

  /**
   * The latest finished crawl's nodes, links and records ({@code ?crawl=ID} for an older one). The
   * ETag changes when a newer crawl finishes, so pollers get 304 in between.
   */
  @GET
  @Path("/topology")
  public Response topology(@QueryParam("crawl") String crawl, @Context Request request) {
    Long latest = store.latestFinished().orElse(null);
    long id;
    if (crawl != null) {
      id = CrawlApi.id(crawl);
    } else if (latest != null) {
      id = latest;
    } else {
      return ErrorMappers.json(404, new ApiError("no crawl has finished yet"));
    }
    CrawlRun run = store.run(id).orElse(null);
    if (run == null || !(run.status.equals("complete") || run.status.equals("partial"))) {
      return ErrorMappers.json(404, new ApiError("no finished crawl with that id", id));
    }
    EntityTag tag = new EntityTag("topology-" + id + "-" + latest);
    Response.ResponseBuilder unchanged = request.evaluatePreconditions(tag);
    if (unchanged != null) {
      return unchanged.build();
    }
    Views.Topology body =
        new Views.Topology(
            CrawlResource.view(run, crawls), store.nodes(id), store.links(id), store.records(id));
    return Response.ok(body).tag(tag).build();
  }

  /** A node by its key (64 hex digits) or its overlay address, in any IPv6 spelling. */
  @GET
  @Path("/nodes/{id}")
  public Response node(@PathParam("id") String id) {
    String lookup = normalise(id);
    return store
        .node(lookup)
        .map(n -> Response.ok(n).build())
        .orElseGet(() -> ErrorMappers.json(404, new ApiError("no such node")));
  }

  private static String normalise(String id) {
    if (id.matches("[0-9a-fA-F]{64}")) {
      return id.toLowerCase(Locale.ROOT);
    }
    try {
      return OverlayAddress.parse(id).toString();
    } catch (NamingException e) {
      throw new BadRequest("a node is named by its key (64 hex digits) or its overlay address");
    }
  }
}
