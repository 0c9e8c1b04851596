package org.canopymesh.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.canopymesh.agent.testing.YggdrasilNode;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.key.VerifyingKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin client against two real, peered Yggdrasil nodes on loopback (the installed binary,
 * Debian's 0.4.7 here): one with its admin socket on TCP, one on a Unix socket.
 */
class AdminClientIT {
  static final Duration START = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void readsSelfAndPeersOfTwoRealNodesOverTcpAndUnixSockets() {
    SecureRandom random = new SecureRandom();
    SigningKey keyA = SigningKey.generate(random);
    SigningKey keyB = SigningKey.generate(random);
    try (YggdrasilNode a = YggdrasilNode.start(dir.resolve("a"), keyA, List.of(), false)) {
      AdminClient adminA = new AdminClient(a.admin());
      a.awaitReady(START);
      try (YggdrasilNode b =
          YggdrasilNode.start(dir.resolve("b"), keyB, List.of(a.peerUri()), true)) {
        AdminClient adminB = new AdminClient(b.admin());
        b.await("the admin socket of node b", START, () -> answers(adminB));
        b.await(
            "the link between a and b",
            START,
            () ->
                peerKeys(adminA).contains(keyB.verifyingKey())
                    && peerKeys(adminB).contains(keyA.verifyingKey()));

        SelfInfo selfA = adminA.self();
        assertEquals(keyA.verifyingKey(), selfA.key());
        assertEquals(OverlayAddress.forKey(keyA.verifyingKey()), selfA.address());
        assertTrue(selfA.subnet().endsWith("::/64"), selfA.subnet());
        SelfInfo selfB = adminB.self();
        assertEquals(keyB.verifyingKey(), selfB.key());
        assertEquals(selfA.dialect(), selfB.dialect());

        PeerInfo seenByA = adminA.peers().get(0);
        assertTrue(seenByA.up());
        assertTrue(
            seenByA.remote().orElseThrow().startsWith("tcp://127.0.0.1:"), seenByA.toString());
        PeerInfo seenByB = adminB.peers().get(0);
        assertEquals(Optional.of(keyA.verifyingKey()), seenByB.key());
        assertEquals(Optional.of(a.peerUri()), seenByB.remote(), "b dialled a's listener");
      }
    }
  }

  private static boolean answers(AdminClient admin) {
    try {
      admin.self();
      return true;
    } catch (AdminException e) {
      return false;
    }
  }

  private static List<VerifyingKey> peerKeys(AdminClient admin) {
    return admin.peers().stream().flatMap(p -> p.key().stream()).toList();
  }
}
