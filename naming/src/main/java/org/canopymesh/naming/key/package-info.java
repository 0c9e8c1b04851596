/**
 * Ed25519 keys ({@link org.canopymesh.naming.key.SigningKey}, {@link
 * org.canopymesh.naming.key.VerifyingKey}) on BouncyCastle's RFC 8032 code, which verifies about
 * ten times faster than the JDK's provider, and {@link org.canopymesh.naming.key.NodeKeys} to load
 * a node's key from its Yggdrasil config or a key file.
 */
package org.canopymesh.naming.key;
