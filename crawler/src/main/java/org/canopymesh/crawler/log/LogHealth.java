package org.canopymesh.crawler.log;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the log's writer runs on a state that matches the database. */
@Readiness
@ApplicationScoped
public class LogHealth implements HealthCheck {
  @Inject LogWriter writer;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("naming-log")
        .status(writer.isHealthy())
        .withData("size", writer.size())
        .build();
  }
}
