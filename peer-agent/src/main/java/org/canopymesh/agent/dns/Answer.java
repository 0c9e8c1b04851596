package org.canopymesh.agent.dns;

import java.util.List;

/**
 * An answer before it is encoded: the response code and the three sections' records.
 *
 * @param authoritative the AA bit: set for every name in our zones, clear for REFUSED
 */
record Answer(
    Rcode rcode, boolean authoritative, List<Rr> answers, List<Rr> authority, List<Rr> additional)
    implements Reply {

  static Answer error(Rcode rcode) {
    return new Answer(rcode, false, List.of(), List.of(), List.of());
  }

  /** A NOERROR answer with no records: the name exists, not with this type. */
  boolean isNoData() {
    return rcode == Rcode.NOERROR && answers.isEmpty();
  }
}
