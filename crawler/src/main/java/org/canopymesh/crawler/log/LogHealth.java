package org.canopymesh.crawler.log;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.canopymesh.crawler.lead.Leadership;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * In the writer, ready only while the log's writer runs on a state that matches the database; a
 * standby holds no log state (it forwards to the writer), so this says nothing against it.
 */
@Readiness
@ApplicationScoped
public class LogHealth implements HealthCheck {
  @Inject LogWriter writer;
  @Inject Leadership leadership;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("naming-log")
        .status(!leadership.isWriter() || writer.isHealthy())
        .withData("size", writer.size())
        .build();
  }
}
