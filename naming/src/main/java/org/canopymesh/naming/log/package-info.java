/**
 * RFC 9162 Merkle trees: {@link org.canopymesh.naming.log.LogHashes} hashing, {@link
 * org.canopymesh.naming.log.MerkleTree} in memory, {@link org.canopymesh.naming.log.Proofs} for
 * roots, inclusion and consistency proofs over any {@link org.canopymesh.naming.log.TreeHashes}.
 */
package org.canopymesh.naming.log;
