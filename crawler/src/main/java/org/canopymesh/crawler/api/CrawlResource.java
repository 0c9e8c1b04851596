package org.canopymesh.crawler.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.canopymesh.crawler.crawl.CrawlService;
import org.canopymesh.crawler.crawl.Progress;
import org.canopymesh.crawler.store.CrawlRun;
import org.canopymesh.crawler.store.TopologyStore;
import org.canopymesh.crawler.store.Views;

/** Crawl runs: start one, follow it, list them. */
@Path("/api/v1/crawls")
@Produces(MediaType.APPLICATION_JSON)
public class CrawlResource {
  static final int MAX_LIMIT = 500;

  @Inject CrawlService crawls;
  @Inject TopologyStore store;

  /** Starts a crawl now: 202 with its id, or 409 with the id of the one that runs. */
  @POST
  public Response start() {
    try {
      long id = crawls.start();
      return Response.accepted(Map.of("id", id)).build();
    } catch (CrawlService.AlreadyRunning e) {
      return ErrorMappers.json(409, new ApiError("a crawl is already running", e.id()));
    }
  }

  @GET
  @Path("/{id}")
  public Response get(@PathParam("id") String id) {
    long n = CrawlApi.id(id);
    return store
        .run(n)
        .map(run -> Response.ok(view(run, crawls)).build())
        .orElseGet(() -> ErrorMappers.json(404, new ApiError("no such crawl", n)));
  }

  @GET
  public List<Views.Crawl> list(@QueryParam("limit") Integer limit) {
    int l = limit == null ? 20 : limit;
    if (l < 1 || l > MAX_LIMIT) {
      throw new BadRequest("limit must be 1 to " + MAX_LIMIT);
    }
    return store.recent(l).stream().map(r -> view(r, crawls)).toList();
  }

  /** The API view of a run; a running one carries its live progress. */
  static Views.Crawl view(CrawlRun r, CrawlService crawls) {
    Views.Progress progress =
        crawls
            .running()
            .filter(x -> x.id() == r.id)
            .map(x -> x.crawl().progress())
            .map(CrawlResource::progress)
            .orElse(null);
    Long duration =
        r.finishedAt == null ? null : r.finishedAt.toEpochMilli() - r.startedAt.toEpochMilli();
    Views.Counts counts =
        new Views.Counts(
            r.nodes,
            r.responded,
            r.links,
            r.records,
            r.invalidRecords,
            r.hidden,
            r.calls,
            r.errors);
    return new Views.Crawl(
        r.id,
        r.status,
        r.startedAt,
        r.finishedAt,
        duration,
        r.adminEndpoint,
        r.instance,
        r.localKey,
        r.adminVersion,
        counts,
        progress,
        r.failure,
        r.errorSample == null || r.errorSample.isEmpty() ? null : r.errorSample);
  }

  private static Views.Progress progress(Progress p) {
    return new Views.Progress(
        p.nodesFound(), p.callsInFlight(), p.callsQueued(), p.callsDone(), p.errors());
  }
}
