package org.canopymesh.naming.ownership;

/**
 * What a log's ownership rules make of one more record.
 *
 * @param outcome what happened
 * @param owner the name's owner record after the decision; for {@link Outcome#TAKEN}, the record
 *     that holds the name; {@code null} only for {@link Outcome#OUTSIDE_ZONE} and for {@link
 *     Outcome#KEY_LIMIT} on a name nobody holds
 */
public record Decision(Outcome outcome, LoggedRecord owner) {
  /** The possible outcomes. */
  public enum Outcome {
    /** The name was free and is now the record's key's. */
    CLAIMED,
    /** The owner replaced its record with a higher seq. */
    RENEWED,
    /** The owner's key, but not a higher seq: a replay or an old record. */
    STALE,
    /** Another key owns the name. */
    TAKEN,
    /** The key already holds as many names as it may. */
    KEY_LIMIT,
    /** The name is not in one of the log's zones. */
    OUTSIDE_ZONE;

    /** Whether the record now stands for the name. */
    public boolean accepted() {
      return this == CLAIMED || this == RENEWED;
    }
  }
}
