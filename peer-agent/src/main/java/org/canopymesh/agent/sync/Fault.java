package org.canopymesh.agent.sync;

/** Why a mirror's latest answer was not taken into the verified copy. */
public enum Fault {
  /** It could not be reached, or did not answer in time: its last verified copy still counts. */
  UNREACHABLE(false),
  /** Its answer was not the mirror API's (malformed, too big): its last copy still counts. */
  BAD_ANSWER(false),
  /** Its checkpoint is not signed by its configured key. */
  BAD_SIGNATURE(true),
  /** Its checkpoint is smaller than one it signed before. */
  ROLLBACK(true),
  /** Its checkpoint has the size of one it signed before, and another root. */
  SPLIT_VIEW(true),
  /** Its new checkpoint is not consistent with the one verified before. */
  INCONSISTENT(true),
  /** One of its entries is not a validly signed record. */
  FORGED_RECORD(true),
  /** Its entries do not hash to the root its checkpoint signs. */
  WRONG_ROOT(true);

  private final boolean distrusts;

  Fault(boolean distrusts) {
    this.distrusts = distrusts;
  }

  /** Whether the mirror's copy stops counting until it verifies again. */
  public boolean distrusts() {
    return distrusts;
  }
}
