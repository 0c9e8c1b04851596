package org.canopymesh.deploy.k8s;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 CIDR block, for NetworkPolicy ipBlocks. Literal addresses only. */
record Cidr(byte[] network, int prefix) {
  static Cidr parse(String cidr) {
    int slash = cidr.indexOf('/');
    return new Cidr(bytes(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
  }

  boolean contains(String address) {
    byte[] a = bytes(address);
    if (a.length != network.length) {
      return false;
    }
    int bits = a.length * 8;
    BigInteger mask =
        BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(prefix).not();
    return new BigInteger(1, a).and(mask).equals(new BigInteger(1, network).and(mask));
  }

  private static byte[] bytes(String literal) {
    if (!literal.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an address literal: " + literal);
    }
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
