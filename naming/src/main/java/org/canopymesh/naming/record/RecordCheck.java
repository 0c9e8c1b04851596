package org.canopymesh.naming.record;

/** The outcome of validating one record in a batch. */
public sealed interface RecordCheck {
  /** A record that passed every rule. */
  record Valid(SignedRecord record) implements RecordCheck {}

  /** A record that broke a rule; the exception says which. */
  record Invalid(InvalidRecordException error) implements RecordCheck {}
}
