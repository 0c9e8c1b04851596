package org.canopymesh.crawler.log;

/** Which records of a batch the log takes. */
public enum Admission {
  /**
   * Records this log's ownership rules accept: new claims and renewals. Used for submissions and
   * for records harvested by crawls.
   */
  OWNERSHIP,
  /**
   * Every valid record in a zone of this log, also one that loses here: records from a peer's
   * verified log, so that mirrors converge to the same set of records. A loser becomes a rival
   * claim that marks its name contested.
   */
  REPLICATION
}
