package org.canopymesh.crawler.log;

import java.util.Arrays;
import java.util.HexFormat;

/** A leaf hash as a map key. */
public record LeafHash(byte[] bytes) {
  @Override
  public boolean equals(Object o) {
    return o instanceof LeafHash h && Arrays.equals(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
