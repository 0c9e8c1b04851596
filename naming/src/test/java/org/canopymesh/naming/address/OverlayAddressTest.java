package org.canopymesh.naming.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.canopymesh.naming.Vectors;
import org.canopymesh.naming.key.VerifyingKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OverlayAddressTest {
  static Stream<Arguments> yggdrasil() {
    return Vectors.cases("yggdrasil/addresses-0.4.7.txt");
  }

  @Test
  void hasAtLeastThirtyVectorsFromTheRealProgram() {
    assertTrue(Vectors.rows("yggdrasil/addresses-0.4.7.txt").size() >= 30);
  }

  @ParameterizedTest
  @MethodSource("yggdrasil")
  void derivesAddressAndSubnetAsYggdrasilDoes(String[] v) {
    VerifyingKey key = VerifyingKey.parseHex(v[0]);
    assertEquals(v[1], OverlayAddress.forKey(key).toString());
    assertEquals(v[2], Subnet.forKey(key).toString());
  }

  @ParameterizedTest
  @MethodSource("yggdrasil")
  void parsesWhatItPrints(String[] v) {
    OverlayAddress a = OverlayAddress.parse(v[1]);
    assertEquals(v[1], a.toString());
    assertEquals(a, OverlayAddress.of(a.bytes()));
    assertTrue(
        Subnet.forKey(VerifyingKey.parseHex(v[0]))
            .contains(new OverlayAddress(a.high() | 1L << 56, 42)));
  }

  @ParameterizedTest
  @CsvSource({
    "0200:0000:0000:0000:0000:0000:0000:0001, 200::1",
    "200:0:0:1:0:0:0:0, 200:0:0:1::",
    "200:0:0:1:0:0:1:0, 200::1:0:0:1:0",
    "200:0:1:0:0:1:0:0, 200:0:1::1:0:0",
    "200:1:0:1:0:1:0:1, 200:1:0:1:0:1:0:1",
    "200:ABCD::, 200:abcd::",
    "2ff::, 2ff::",
    "3ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 3ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
  })
  void printsRfc5952CanonicalForm(String in, String canonical) {
    assertEquals(canonical, OverlayAddress.parse(in).toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "::", "200", "200:::1", "200::1::2", "200:1:2:3:4:5:6:7:8", "200:1:2:3:4:5:6",
        "200::g", "200::12345", "[200::1]", "200::1%eth0", "200::1.2.3.4", ":200::1", "200::1:"
      })
  void rejectsTextThatIsNotAnIpv6Address(String text) {
    assertThrows(AddressFormatException.class, () -> OverlayAddress.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"::1", "fe80::1", "1ff:ffff::", "400::", "fd00::1"})
  void rejectsAddressesOutside200Slash7(String text) {
    AddressFormatException e =
        assertThrows(AddressFormatException.class, () -> OverlayAddress.parse(text));
    assertTrue(e.getMessage().contains("200::/7"), e.getMessage());
  }

  @Test
  void tellsNodeAddressesFromSubnetAddresses() {
    assertTrue(OverlayAddress.parse("200:1::1").isNodeAddress());
    assertFalse(OverlayAddress.parse("300:1::1").isNodeAddress());
    assertThrows(AddressFormatException.class, () -> new Subnet(OverlayAddress.parse("200::")));
    assertThrows(AddressFormatException.class, () -> new Subnet(OverlayAddress.parse("300::1")));
  }

  @Test
  void ordersAddressesAsUnsignedNumbers() {
    List<OverlayAddress> sorted =
        Stream.of("3ff::", "200::ffff", "200::1", "2ff::")
            .map(OverlayAddress::parse)
            .sorted()
            .toList();
    assertEquals("[200::1, 200::ffff, 2ff::, 3ff::]", sorted.toString());
  }
}
