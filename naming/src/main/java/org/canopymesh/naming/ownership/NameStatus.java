package org.canopymesh.naming.ownership;

/** Where a name stands at a given time. */
public enum NameStatus {
  /** The owner's record has not expired: the name resolves. */
  ACTIVE,
  /** Expired less than the grace period ago: it does not resolve, but only its owner may renew. */
  GRACE,
  /** Expired longer ago: anyone may claim it. */
  FREE
}
