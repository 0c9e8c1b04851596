/**
 * Yggdrasil addresses and what is derived from them: the node address and /64 of a key exactly as
 * Yggdrasil 0.4 and 0.5 compute them ({@link org.canopymesh.naming.address.OverlayAddress}, {@link
 * org.canopymesh.naming.address.Subnet}), and meshname-compatible {@code .meship} names ({@link
 * org.canopymesh.naming.address.MeshipName}).
 */
package org.canopymesh.naming.address;
