package org.canopymesh.crawler.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.canopymesh.crawler.lead.Leadership;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A standby crawler answers its API with 503: it holds no log state until it takes over, and a
 * client retrying in a few seconds reaches the writer (a load balancer sends it nothing anyway, as
 * it is not ready). Health and metrics under {@code /q} are not API resources and still answer.
 */
public class StandbyFilter {
  @Inject Leadership leadership;

  @ServerRequestFilter(preMatching = true)
  public Optional<Response> refuseOnStandby() {
    if (leadership.isWriter()) {
      return Optional.empty();
    }
    return Optional.of(
        Response.fromResponse(
                ErrorMappers.json(
                    503,
                    new ApiError("this crawler is a standby; another crawler writes the database")))
            .header("Retry-After", "5")
            .build());
  }
}
