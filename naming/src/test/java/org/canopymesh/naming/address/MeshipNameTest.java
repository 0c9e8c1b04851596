package org.canopymesh.naming.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.canopymesh.naming.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MeshipNameTest {
  static Stream<Arguments> meshname() {
    return Vectors.cases("meshname.txt");
  }

  @ParameterizedTest
  @MethodSource("meshname")
  void encodesAsMeshnameDoes(String[] v) {
    assertEquals(v[1] + ".meship", MeshipName.of(OverlayAddress.parse(v[0])).toString());
  }

  @ParameterizedTest
  @MethodSource("meshname")
  void decodesMeshnameExamples(String[] v) {
    assertEquals(v[0], MeshipName.parse(v[1] + ".meship").address().toString());
    assertEquals(v[0], MeshipName.parse(v[1]).address().toString());
    assertEquals(v[0], MeshipName.parse(v[1].toUpperCase() + ".MESHIP.").address().toString());
  }

  @Test
  void roundTripsRandomOverlayAddresses() {
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      byte[] b = new byte[16];
      random.nextBytes(b);
      b[0] = (byte) (2 | (b[0] & 1));
      OverlayAddress a = OverlayAddress.of(b);
      String name = MeshipName.of(a).toString();
      assertEquals(26 + ".meship".length(), name.length());
      assertEquals(a, MeshipName.parse(name).address());
    }
  }

  @Test
  void rejectsANonCanonicalLastCharacter() {
    String label =
        MeshipName.of(OverlayAddress.parse("200:6fc8:9220:f400:5cc2:305a:4ac6:967e")).label();
    // The last character 'y' carries 3 address bits and 2 zero bits; 'z' sets an unused bit.
    String other = label.substring(0, 25) + "z";
    MeshipNameException e =
        assertThrows(MeshipNameException.class, () -> MeshipName.parse(other + ".meship"));
    assertTrue(e.getMessage().contains("not canonical"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "aiag7sesed2aaxgcgbnevruwp.meship",
        "aiag7sesed2aaxgcgbnevruwpyy.meship",
        "aiag7sesed2aaxgcgbnevruwp1.meship",
        "aiag7sesed2aaxgcgbnevruwp=.meship",
        "aiag7sesed2aaxgcgbnevruwpy.meshname",
        "x.aiag7sesed2aaxgcgbnevruwpy.meship",
        ".meship",
        ""
      })
  void rejectsMalformedNames(String name) {
    assertThrows(MeshipNameException.class, () -> MeshipName.parse(name));
  }

  @Test
  void rejectsNamesOfAddressesOutside200Slash7() {
    MeshipNameException e =
        assertThrows(
            MeshipNameException.class, () -> MeshipName.parse("aaaaaaaaaaaaaaaaaaaaaaaaaa.meship"));
    assertTrue(e.getMessage().contains("200::/7"), e.getMessage());
  }
}
