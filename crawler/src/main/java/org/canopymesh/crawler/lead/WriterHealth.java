package org.canopymesh.crawler.lead;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while this crawler is the writer, or a standby that knows where the writer is (it forwards
 * its API requests there). Says which it is.
 */
@Readiness
@ApplicationScoped
public class WriterHealth implements HealthCheck {
  @Inject Leadership leadership;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("writer")
        .status(leadership.isWriter() || leadership.writerUrl().isPresent())
        .withData("role", leadership.isWriter() ? "writer" : "standby")
        .withData("instance", leadership.instance())
        .withData(
            "writer",
            leadership.isWriter()
                ? "this one"
                : leadership.writerUrl().map(Object::toString).orElse("unknown"))
        .build();
  }
}
