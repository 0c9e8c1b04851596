package org.canopymesh.naming.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.canopymesh.naming.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProofsTest {
  static final String FILE = "rfc6962-merkle.txt";

  static MerkleTree vectorTree() {
    MerkleTree t = new MerkleTree();
    for (String[] leaf : Vectors.rows(FILE, "leaf")) {
      t.append(Vectors.hex(leaf.length > 1 ? leaf[1] : "-"));
    }
    return t;
  }

  static byte[] root(int size) {
    return Vectors.hex(Vectors.rows(FILE, "root").get(size - 1)[1]);
  }

  static List<byte[]> hashes(String[] row, int from) {
    return Arrays.stream(row, from, row.length).map(Vectors::hex).toList();
  }

  @Test
  void hashesTheEmptyTreeAsSha256OfNothing() {
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        HexFormat.of().formatHex(new MerkleTree().root()));
  }

  @Test
  void computesTheRfc6962RootOfEveryPrefix() {
    MerkleTree t = vectorTree();
    for (int size = 1; size <= 8; size++) {
      assertArrayEquals(root(size), t.root(size), "size " + size);
    }
  }

  static Stream<Arguments> inclusion() {
    return Vectors.cases(FILE, "inclusion");
  }

  @ParameterizedTest
  @MethodSource("inclusion")
  void generatesAndVerifiesRfc6962InclusionProofs(String[] v) {
    long index = Long.parseLong(v[0]);
    int size = Integer.parseInt(v[1]);
    List<byte[]> expected = hashes(v, 2);
    MerkleTree t = vectorTree();

    assertProofEquals(expected, t.inclusionProof(index, size));
    Proofs.verifyInclusion(t.leafHash(index), index, size, expected, root(size));
    for (List<byte[]> bad : Tampering.of(expected, root(size))) {
      assertThrows(
          ProofException.class,
          () -> Proofs.verifyInclusion(t.leafHash(index), index, size, bad, root(size)));
    }
    if (index > 0) {
      assertThrows(
          ProofException.class,
          () -> Proofs.verifyInclusion(t.leafHash(index), index - 1, size, expected, root(size)));
    }
    assertThrows(
        ProofException.class,
        () -> Proofs.verifyInclusion(t.leafHash(index), index, size * 2L, expected, root(size)));
  }

  static Stream<Arguments> consistency() {
    return Vectors.cases(FILE, "consistency");
  }

  @ParameterizedTest
  @MethodSource("consistency")
  void generatesAndVerifiesRfc6962ConsistencyProofs(String[] v) {
    int from = Integer.parseInt(v[0]);
    int to = Integer.parseInt(v[1]);
    List<byte[]> expected = hashes(v, 2);
    MerkleTree t = vectorTree();

    assertProofEquals(expected, t.consistencyProof(from, to));
    Proofs.verifyConsistency(from, to, expected, root(from), root(to));
    if (from == to) {
      return;
    }
    for (List<byte[]> bad : Tampering.of(expected, root(to))) {
      assertThrows(
          ProofException.class,
          () -> Proofs.verifyConsistency(from, to, bad, root(from), root(to)));
    }
    assertThrows(
        ProofException.class,
        () -> Proofs.verifyConsistency(from, to, expected, root(to), root(from)));
    assertThrows(
        ProofException.class,
        () -> Proofs.verifyConsistency(from + 1, to, expected, root(from), root(to)));
  }

  @Test
  void treatsTheEdgesOfConsistencyAsRfc9162() {
    byte[] a = root(1);
    byte[] b = root(2);
    assertDoesNotThrow(() -> Proofs.verifyConsistency(0, 5, List.of(), a, b));
    assertDoesNotThrow(() -> Proofs.verifyConsistency(3, 3, List.of(), a, a));
    assertThrows(ProofException.class, () -> Proofs.verifyConsistency(3, 3, List.of(), a, b));
    assertThrows(ProofException.class, () -> Proofs.verifyConsistency(0, 1, List.of(a), a, b));
    assertThrows(ProofException.class, () -> Proofs.verifyConsistency(2, 1, List.of(), a, b));
    assertThrows(ProofException.class, () -> Proofs.verifyConsistency(1, 2, List.of(), a, b));
  }

  @Test
  void refusesProofsOutsideTheTree() {
    MerkleTree t = vectorTree();
    assertThrows(ProofException.class, () -> t.inclusionProof(8, 8));
    assertThrows(ProofException.class, () -> t.inclusionProof(0, 9));
    assertThrows(ProofException.class, () -> t.consistencyProof(5, 4));
    assertThrows(ProofException.class, () -> t.root(9));
    assertThrows(
        ProofException.class,
        () -> Proofs.verifyInclusion(new byte[31], 0, 1, List.of(), new byte[32]));
  }

  @Test
  void everyProofOfRandomTreesVerifiesAndEveryTamperedOneFails() {
    Random random = new Random(2026);
    for (int round = 0; round < 30; round++) {
      int size = 1 + random.nextInt(round < 20 ? 70 : 3000);
      MerkleTree t = new MerkleTree();
      List<byte[]> entries = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        byte[] e = new byte[random.nextInt(40)];
        random.nextBytes(e);
        entries.add(e);
        t.append(e);
      }
      for (int probe = 0; probe < 20; probe++) {
        int n = 1 + random.nextInt(size);
        int m = 1 + random.nextInt(n);
        int index = random.nextInt(n);
        byte[] rootN = t.root(n);
        assertArrayEquals(naiveRoot(entries.subList(0, n)), rootN);

        List<byte[]> inclusion = t.inclusionProof(index, n);
        Proofs.verifyInclusion(LogHashes.leaf(entries.get(index)), index, n, inclusion, rootN);
        for (List<byte[]> bad : Tampering.of(inclusion, rootN)) {
          assertThrows(
              ProofException.class,
              () -> Proofs.verifyInclusion(t.leafHash(index), index, n, bad, rootN));
        }

        List<byte[]> consistency = t.consistencyProof(m, n);
        byte[] rootM = t.root(m);
        Proofs.verifyConsistency(m, n, consistency, rootM, rootN);
        if (m < n) {
          for (List<byte[]> bad : Tampering.of(consistency, rootN)) {
            assertThrows(
                ProofException.class, () -> Proofs.verifyConsistency(m, n, bad, rootM, rootN));
          }
        }
      }
    }
  }

  /** MTH straight from RFC 9162's recursive definition, to check the tree against. */
  static byte[] naiveRoot(List<byte[]> entries) {
    if (entries.size() == 1) {
      return LogHashes.leaf(entries.get(0));
    }
    int k = Integer.highestOneBit(entries.size() - 1);
    return LogHashes.node(
        naiveRoot(entries.subList(0, k)), naiveRoot(entries.subList(k, entries.size())));
  }

  static void assertProofEquals(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size(), "proof length");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "proof hash " + i);
    }
  }

  /** Every way Go's merkle tests corrupt a proof. */
  static final class Tampering {
    static List<List<byte[]>> of(List<byte[]> proof, byte[] root) {
      List<List<byte[]>> out = new ArrayList<>();
      out.add(with(proof, proof.size(), new byte[32]));
      out.add(with(proof, proof.size(), root));
      out.add(with(proof, 0, new byte[32]));
      out.add(with(proof, 0, root));
      for (int i = 0; i < proof.size(); i++) {
        List<byte[]> flipped = new ArrayList<>(proof);
        byte[] h = proof.get(i).clone();
        h[0] ^= 8;
        flipped.set(i, h);
        out.add(flipped);
      }
      if (!proof.isEmpty()) {
        out.add(proof.subList(0, proof.size() - 1));
      }
      if (proof.size() > 1) {
        List<byte[]> swapped = new ArrayList<>(proof);
        swapped.set(0, proof.get(1));
        swapped.set(1, proof.get(0));
        if (!Arrays.equals(proof.get(0), proof.get(1))) {
          out.add(swapped);
        }
      }
      return out;
    }

    private static List<byte[]> with(List<byte[]> proof, int at, byte[] extra) {
      List<byte[]> l = new ArrayList<>(proof);
      l.add(at, extra);
      return l;
    }
  }
}
