package org.canopymesh.crawler.mirror;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.canopymesh.crawler.CrawlerException;
import org.canopymesh.crawler.config.MirrorConfig;
import org.canopymesh.crawler.log.LogIdentity;

/** The configured peer mirrors, by origin. */
@ApplicationScoped
public class Peers {
  private final Map<String, Peer> byOrigin = new LinkedHashMap<>();

  @Inject
  Peers(MirrorConfig config, LogIdentity self) {
    for (String item : config.peers().orElse(List.of())) {
      if (item.isBlank()) {
        continue;
      }
      Peer p = Peer.parse(item);
      if (p.origin().equals(self.origin())) {
        throw new CrawlerException("canopy.mirror.peers lists this mirror itself: " + p);
      }
      if (byOrigin.put(p.origin(), p) != null) {
        throw new CrawlerException("canopy.mirror.peers lists " + p.origin() + " twice");
      }
    }
  }

  public List<Peer> all() {
    return List.copyOf(byOrigin.values());
  }

  public Optional<Peer> byOrigin(String origin) {
    return Optional.ofNullable(byOrigin.get(origin));
  }
}
