package org.canopymesh.crawler.mirror;

/** How a peer was caught misbehaving. */
public enum EvidenceKind {
  /** It signed a checkpoint smaller than one it signed before. */
  ROLLBACK,
  /** It signed two checkpoints that are not one growing tree. */
  SPLIT_VIEW,
  /** Its log holds an entry that is not a validly signed record. */
  FORGED_RECORD,
  /** The entries it serves do not hash to the checkpoint it signed. */
  WRONG_ROOT;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
