package org.canopymesh.naming.key;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.canopymesh.naming.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SigningKeyTest {
  static Stream<Arguments> rfc8032() {
    return Vectors.cases("rfc8032-ed25519.txt");
  }

  @ParameterizedTest
  @MethodSource("rfc8032")
  void derivesPublicKeyAndSignsAsRfc8032(String[] v) {
    SigningKey key = SigningKey.fromSeed(Vectors.hex(v[0]));
    byte[] message = Vectors.hex(v[2]);

    assertEquals(v[1], key.verifyingKey().toHex());
    assertArrayEquals(Vectors.hex(v[3]), key.sign(message));
  }

  @ParameterizedTest
  @MethodSource("rfc8032")
  void verifiesRfc8032SignaturesAndRejectsAnyFlippedBit(String[] v) {
    VerifyingKey key = VerifyingKey.parseHex(v[1]);
    byte[] message = Vectors.hex(v[2]);
    byte[] signature = Vectors.hex(v[3]);

    assertTrue(key.verify(message, signature));
    for (int bit = 0; bit < signature.length * 8; bit += 7) {
      byte[] bad = signature.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(key.verify(message, bad), "flipped signature bit " + bit);
    }
    byte[] other = (new String(message) + "x").getBytes();
    assertFalse(key.verify(other, signature));
  }

  @Test
  void rejectsSignaturesOfTheWrongLength() {
    SigningKey key = SigningKey.generate(new SecureRandom());
    byte[] sig = key.sign(new byte[] {1});
    assertFalse(key.verifyingKey().verify(new byte[] {1}, java.util.Arrays.copyOf(sig, 63)));
    assertFalse(key.verifyingKey().verify(new byte[] {1}, java.util.Arrays.copyOf(sig, 65)));
  }

  @Test
  void acceptsYggdrasilPrivateKeyWhoseHalvesAgree() {
    String[] v = Vectors.rows("rfc8032-ed25519.txt").get(0);
    SigningKey key = SigningKey.parseHex(v[0] + v[1]);
    assertEquals(v[1], key.verifyingKey().toHex());
  }

  @Test
  void rejectsYggdrasilPrivateKeyWhoseHalvesDisagree() {
    List<String[]> rows = Vectors.rows("rfc8032-ed25519.txt");
    KeyFormatException e =
        assertThrows(
            KeyFormatException.class, () -> SigningKey.parseHex(rows.get(0)[0] + rows.get(1)[1]));
    assertTrue(e.getMessage().contains("second half"), e.getMessage());
  }

  @Test
  void rejectsKeysOfTheWrongLengthOrAlphabet() {
    assertThrows(KeyFormatException.class, () -> SigningKey.fromSeed(new byte[31]));
    assertThrows(KeyFormatException.class, () -> SigningKey.parseHex("00".repeat(48)));
    assertThrows(KeyFormatException.class, () -> SigningKey.parseHex("zz".repeat(32)));
    assertThrows(KeyFormatException.class, () -> VerifyingKey.parseHex("00".repeat(31)));
    assertThrows(KeyFormatException.class, () -> VerifyingKey.parseHex("g".repeat(64)));
    assertThrows(KeyFormatException.class, () -> VerifyingKey.of(new byte[33]));
  }

  @Test
  void neverShowsTheSeedInToString() {
    SigningKey key = SigningKey.generate(new SecureRandom());
    String seedHex = HexFormat.of().formatHex(key.seed());
    assertFalse(key.toString().contains(seedHex));
    assertTrue(key.toString().contains(key.verifyingKey().toHex()));
  }

  @Test
  void verifyingKeysAreEqualByValue() {
    String hex = Vectors.rows("rfc8032-ed25519.txt").get(0)[1];
    assertEquals(VerifyingKey.parseHex(hex), VerifyingKey.parseHex(hex.toUpperCase()));
    assertEquals(VerifyingKey.parseHex(hex).hashCode(), VerifyingKey.parseHex(hex).hashCode());
  }
}
