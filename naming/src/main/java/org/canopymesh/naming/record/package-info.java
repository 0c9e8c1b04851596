/**
 * Name records ({@code canopy-record/v1}, DESIGN.md "Name records"): {@link
 * org.canopymesh.naming.record.NameRecord} is the content and its builder, {@link
 * org.canopymesh.naming.record.SignedRecord} a parsed and signature-checked note, {@link
 * org.canopymesh.naming.record.RecordRules} the zone and clock rules of a deployment. Every broken
 * rule is an {@link org.canopymesh.naming.record.InvalidRecordException} with its {@link
 * org.canopymesh.naming.record.InvalidRecordException.Reason}.
 */
package org.canopymesh.naming.record;
