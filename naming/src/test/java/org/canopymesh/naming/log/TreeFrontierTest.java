package org.canopymesh.naming.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreeFrontierTest {
  private static byte[] leaf(int i) {
    return LogHashes.leaf(("entry " + i).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rootsAgreeWithTheFullTreeAtEverySize() {
    MerkleTree tree = new MerkleTree();
    TreeFrontier frontier = TreeFrontier.empty();
    assertArrayEquals(LogHashes.emptyRoot(), frontier.root());
    for (int i = 0; i < 300; i++) {
      tree.appendLeafHash(leaf(i));
      frontier.append(leaf(i));
      assertArrayEquals(tree.root(), frontier.root(), "size " + (i + 1));
      assertEquals(Long.bitCount(i + 1), frontier.hashes().size());
    }
  }

  @Test
  void reportsExactlyTheCompleteSubtreesOfTheFullTree() {
    MerkleTree tree = new MerkleTree();
    TreeFrontier frontier = TreeFrontier.empty();
    List<long[]> reported = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      tree.appendLeafHash(leaf(i));
      frontier.append(
          leaf(i),
          (level, index, hash) -> {
            assertArrayEquals(tree.subtree(level, index), hash, level + "/" + index);
            reported.add(new long[] {level, index});
          });
    }
    // 64 leaves + 32 + 16 + 8 + 4 + 2 + 1 subtrees.
    assertEquals(127, reported.size());
  }

  @Test
  void resumesFromStoredHashesOrFromATree() {
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < 45; i++) {
      tree.appendLeafHash(leaf(i));
    }
    TreeFrontier fromTree = TreeFrontier.of(tree, 45);
    TreeFrontier fromHashes = TreeFrontier.of(45, fromTree.hashes());
    for (int i = 45; i < 77; i++) {
      tree.appendLeafHash(leaf(i));
      fromTree.append(leaf(i));
      fromHashes.append(leaf(i));
    }
    assertArrayEquals(tree.root(), fromTree.root());
    assertArrayEquals(tree.root(), fromHashes.root());
    assertArrayEquals(tree.root(45), TreeFrontier.of(tree, 45).root());
  }

  @Test
  void rejectsAHashCountThatDoesNotFitTheSize() {
    assertThrows(IllegalArgumentException.class, () -> TreeFrontier.of(3, List.of(new byte[32])));
    assertThrows(IllegalArgumentException.class, () -> TreeFrontier.of(1, List.of(new byte[31])));
  }
}
