package org.canopymesh.crawler.lead;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while this crawler is the writer: a standby takes no traffic (a Kubernetes Service or
 * a load balancer sends none to it) until it has taken over. It stays live.
 */
@Readiness
@ApplicationScoped
public class WriterHealth implements HealthCheck {
  @Inject Leadership leadership;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("writer")
        .status(leadership.isWriter())
        .withData("role", leadership.isWriter() ? "writer" : "standby")
        .withData("instance", leadership.instance())
        .build();
  }
}
