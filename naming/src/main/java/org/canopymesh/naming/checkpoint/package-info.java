/**
 * C2SP checkpoints ({@link org.canopymesh.naming.checkpoint.Checkpoint}) and Ed25519 timestamped
 * cosignatures ({@link org.canopymesh.naming.checkpoint.Cosignatures}), the signed tree heads that
 * mirrors publish and witness for each other.
 */
package org.canopymesh.naming.checkpoint;
