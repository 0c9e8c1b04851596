package org.canopymesh.crawler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import org.canopymesh.naming.ownership.OwnershipRules;
import org.canopymesh.naming.record.RecordRules;

/** {@code canopy.naming.*}: the rules names live by, shared by the crawler and the mirror. */
@ConfigMapping(prefix = "canopy.naming")
public interface NamingConfig {
  /** Zones records must be in; records for other names are neither harvested nor logged. */
  @WithDefault("mesh.alt")
  List<String> zones();

  /** How many names one key may hold at once. */
  @WithDefault("16")
  int maxNamesPerKey();

  /** How long an expired name stays reserved for its owner's renewal. */
  @WithDefault("7d")
  Duration grace();

  default RecordRules recordRules() {
    return RecordRules.forZones(zones());
  }

  default OwnershipRules ownershipRules() {
    return new OwnershipRules(recordRules(), grace(), maxNamesPerKey());
  }
}
