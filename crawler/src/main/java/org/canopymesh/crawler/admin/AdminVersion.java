package org.canopymesh.crawler.admin;

/** The two admin API dialects Canopy speaks. */
public enum AdminVersion {
  /** 0.4.x: {@code getDHT}, replies keyed by IPv6 address. */
  V0_4,
  /** 0.5.x: {@code getTree}, replies keyed by public key, new {@code getPeers} fields. */
  V0_5;

  /** The dialect of a {@code build_version} string; unknown and development builds count as 0.5. */
  static AdminVersion of(String buildVersion) {
    return buildVersion != null && buildVersion.matches("v?0\\.[0-4](\\..*)?") ? V0_4 : V0_5;
  }
}
