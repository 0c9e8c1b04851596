/**
 * Canopy's naming library: everything that is cryptography or a wire format.
 *
 * <ul>
 *   <li>{@link org.canopymesh.naming.key} — Ed25519 node keys and how to load them.
 *   <li>{@link org.canopymesh.naming.address} — Yggdrasil addresses and {@code .meship} names.
 *   <li>{@link org.canopymesh.naming.note} — C2SP signed notes.
 *   <li>{@link org.canopymesh.naming.record} — {@code canopy-record/v1} name records.
 *   <li>{@link org.canopymesh.naming.log} — RFC 9162 Merkle trees and proofs.
 *   <li>{@link org.canopymesh.naming.checkpoint} — C2SP checkpoints and cosignatures.
 *   <li>{@link org.canopymesh.naming.ownership} — who owns a name in one log, and across logs.
 * </ul>
 */
package org.canopymesh.naming;
