package org.canopymesh.map;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Stops the embedded PostgreSQL after every other shutdown step (they may still write). */
@ApplicationScoped
class EmbeddedShutdown {
  void onStop(@Observes @Priority(100_000) ShutdownEvent e) {
    MapMain.stopEmbedded();
  }
}
