package org.canopymesh.naming.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MerkleTreeTest {
  @Test
  void appendsByEntryOrByLeafHashAlike() {
    MerkleTree a = new MerkleTree();
    MerkleTree b = new MerkleTree();
    for (int i = 0; i < 10_000; i++) {
      byte[] e = ("entry " + i).getBytes();
      assertEquals(i, a.append(e));
      b.appendLeafHash(LogHashes.leaf(e));
    }
    assertArrayEquals(a.root(), b.root());
    assertArrayEquals(a.root(4097), b.root(4097));
    assertEquals(10_000, a.size());
  }

  @Test
  void keepsAboutTwoHashesPerLeaf() {
    MerkleTree t = new MerkleTree();
    for (int i = 0; i < 100_000; i++) {
      t.appendLeafHash(LogHashes.leaf(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)}));
    }
    long perLeaf = t.retainedBytes() / t.size();
    assertEquals(64, perLeaf, 8, "bytes per leaf: " + perLeaf);
  }

  @Test
  void rejectsLeafHashesOfTheWrongSize() {
    assertThrows(
        IllegalArgumentException.class, () -> new MerkleTree().appendLeafHash(new byte[31]));
  }
}
