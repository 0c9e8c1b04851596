/**
 * Who owns a name: {@link org.canopymesh.naming.ownership.OwnershipRules} and its {@link
 * org.canopymesh.naming.ownership.Ledger} turn one log into a {@link
 * org.canopymesh.naming.ownership.NameTable}; {@link org.canopymesh.naming.ownership.Quorum}
 * combines the tables of n logs with the k-of-n rule. Pure functions of the entries and a time.
 */
package org.canopymesh.naming.ownership;
