package org.canopymesh.naming.address;

import org.canopymesh.naming.key.VerifyingKey;

/**
 * The /64 a Yggdrasil node may route to hosts behind it: the first 8 bytes of its address with the
 * first byte {@code 0x03} ({@code address.SubnetForKey}).
 *
 * @param prefix the first address of the subnet
 */
public record Subnet(OverlayAddress prefix) {
  public Subnet {
    if (prefix.isNodeAddress() || prefix.low() != 0) {
      throw new AddressFormatException(prefix + " does not start a Yggdrasil /64 (300::/8)");
    }
  }

  public static Subnet forKey(VerifyingKey key) {
    OverlayAddress a = OverlayAddress.forKey(key);
    return new Subnet(new OverlayAddress(a.high() | (1L << 56), 0));
  }

  public boolean contains(OverlayAddress address) {
    return address.high() == prefix.high();
  }

  /** As Yggdrasil prints it, e.g. {@code 300:be2f:c13c:f4c8::/64}. */
  @Override
  public String toString() {
    return prefix + "/64";
  }
}
