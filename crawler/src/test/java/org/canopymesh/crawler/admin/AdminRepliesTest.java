package org.canopymesh.crawler.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.VerifyingKey;
import org.junit.jupiter.api.Test;

/**
 * Reply parsing against real replies of Debian's 0.4.7 and fixtures written from the yggdrasil-go
 * 0.5 sources (each folder has a README saying how they were made).
 */
class AdminRepliesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final AdminReplies REPLIES = new AdminReplies(JSON, AdminLimits.DEFAULT);

  static JsonNode fixture(String path) throws IOException {
    try (InputStream in = AdminRepliesTest.class.getResourceAsStream("/admin/" + path)) {
      if (in == null) {
        throw new IllegalStateException("no fixture " + path);
      }
      return JSON.readTree(in);
    }
  }

  static JsonNode response(String path) throws IOException {
    return AdminReplies.response(fixture(path));
  }

  @Test
  void readsTheSelfOfA05Node() throws IOException {
    SelfInfo self = REPLIES.self(response("yggdrasil-0.5/getSelf.json"));
    assertEquals(AdminVersion.V0_5, self.version());
    assertEquals("0.5.12", self.buildVersion());
    assertEquals(
        OverlayAddress.forKey(VerifyingKey.parseHex(self.key())).toString(), self.address());
  }

  @Test
  void readsTheSelfOfDebians047WhoseBuildIsUnknown() throws IOException {
    SelfInfo self = REPLIES.self(response("yggdrasil-0.4.7/getSelf.json"));
    assertEquals(AdminVersion.V0_4, self.version());
    assertEquals("unknown", self.buildVersion());
    assertEquals(
        OverlayAddress.forKey(VerifyingKey.parseHex(self.key())).toString(), self.address());
  }

  @Test
  void readsTheRealRepliesOf047() throws IOException {
    List<PeerInfo> peers = REPLIES.peers(response("yggdrasil-0.4.7/getPeers.json"));
    assertEquals(2, peers.size());
    assertTrue(peers.stream().allMatch(p -> p.remote().startsWith("tcp://127.0.0.1:")));
    assertEquals(
        2, REPLIES.remotePeers(response("yggdrasil-0.4.7/debug_remoteGetPeers.json")).size());
    JsonNode info = REPLIES.nodeInfo(response("yggdrasil-0.4.7/getNodeInfo-remote.json"));
    assertEquals("c", info.path("name").asText());
    JsonNode hidden = REPLIES.nodeInfo(response("yggdrasil-0.4.7/getNodeInfo-privacy.json"));
    assertTrue(!hidden.has("buildversion"));
  }

  @Test
  void turnsReal047ErrorsIntoRemoteErrors() throws IOException {
    for (String f :
        List.of(
            "yggdrasil-0.4.7/error-unknownRequest.json",
            "yggdrasil-0.4.7/error-getNodeInfo-unknownKey.json",
            "yggdrasil-0.4.7/error-debug_remoteGetSelf-unknownKey.json")) {
      JsonNode reply = fixture(f);
      AdminException e = assertThrows(AdminException.class, () -> AdminReplies.response(reply));
      assertEquals(AdminException.Kind.REMOTE, e.kind(), f);
    }
  }

  @Test
  void readsTheArrayOfPeersOf05SkippingPeersThatAreDown() throws IOException {
    JsonNode r = response("yggdrasil-0.5/getPeers.json");
    List<PeerInfo> peers = REPLIES.peers(r);
    long up = 0;
    for (JsonNode p : r.path("peers")) {
      if (p.path("up").asBoolean()) {
        up++;
      }
    }
    assertEquals(up, peers.size());
    assertTrue(peers.stream().allMatch(p -> p.key().length() == 64 && p.remote() != null));
    assertTrue(peers.stream().anyMatch(p -> Boolean.TRUE.equals(p.inbound())));
  }

  @Test
  void readsRemotePeersKeyedByAddress() throws IOException {
    List<String> keys = REPLIES.remotePeers(response("yggdrasil-0.5/debug_remoteGetPeers.json"));
    assertEquals(4, keys.size());
  }

  @Test
  void readsRemoteNodeInfoKeyedByKey() throws IOException {
    JsonNode info = REPLIES.nodeInfo(response("yggdrasil-0.5/getNodeInfo_remote.json"));
    assertTrue(info.has("buildversion"));
  }

  @Test
  void turnsErrorRepliesIntoRemoteErrors() throws IOException {
    for (String f :
        List.of(
            "yggdrasil-0.5/error_unknown_request.json",
            "yggdrasil-0.5/error_remote_timeout.json",
            "yggdrasil-0.5/error_remote_timeout_nodeinfo.json")) {
      JsonNode reply = fixture(f);
      AdminException e = assertThrows(AdminException.class, () -> AdminReplies.response(reply));
      assertEquals(AdminException.Kind.REMOTE, e.kind(), f);
      assertFalse(e.getMessage().isBlank());
    }
  }

  @Test
  void treatsAMissingKeyListAsNoPeers() throws IOException {
    JsonNode r = JSON.readTree("{\"202::1\": {}}");
    assertEquals(List.of(), REPLIES.remotePeers(r));
  }

  @Test
  void rejectsKeysThatAreNotKeys() throws IOException {
    JsonNode r = JSON.readTree("{\"202::1\": {\"keys\": [\"abc\"]}}");
    AdminException e = assertThrows(AdminException.class, () -> REPLIES.remotePeers(r));
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
  }

  @Test
  void rejectsRemoteRepliesAboutSeveralNodes() throws IOException {
    JsonNode r = JSON.readTree("{\"202::1\": {\"keys\": []}, \"202::2\": {\"keys\": []}}");
    assertThrows(AdminException.class, () -> REPLIES.remotePeers(r));
  }
}
