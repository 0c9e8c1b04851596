package org.canopymesh.crawler.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.canopymesh.crawler.testing.YggdrasilOverlay;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Yggdrasil's default admin endpoint is a Unix socket: a real node configured with one answers the
 * crawler's calls through it.
 */
class UnixSocketIT {
  @TempDir Path dir;

  @Test
  void talksToARealNodeThroughItsUnixSocket() throws Exception {
    SigningKey key = SigningKey.generate(new SecureRandom());
    Path socket = dir.resolve("ygg.sock");
    Path conf = dir.resolve("ygg.json");
    Files.writeString(
        conf,
        "{\"PrivateKey\":\""
            + HexFormat.of().formatHex(key.seed())
            + key.verifyingKey().toHex()
            + "\",\"AdminListen\":\"unix://"
            + socket
            + "\",\"IfName\":\"none\",\"MulticastInterfaces\":[],\"Listen\":[],\"Peers\":[]}");
    Process node =
        new ProcessBuilder(
                YggdrasilOverlay.findBinary().toString(), "-useconffile", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ygg.log").toFile())
            .start();
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      long end = System.currentTimeMillis() + 20_000;
      while (!Files.exists(socket)) {
        if (System.currentTimeMillis() > end || !node.isAlive()) {
          fail(
              "yggdrasil did not open its admin socket: "
                  + Files.readString(dir.resolve("ygg.log")));
        }
        Thread.sleep(20); // polling interval of the wait loop
      }
      assertTrue(vertx.isNativeTransportEnabled(), "Netty's epoll transport is on the class path");
      try (YggdrasilAdmin admin =
          new YggdrasilAdmin(
              vertx,
              AdminEndpoint.parse("unix://" + socket),
              new ObjectMapper(),
              AdminLimits.DEFAULT)) {
        SelfInfo self = admin.self().get(10, TimeUnit.SECONDS);
        assertEquals(key.verifyingKey().toHex(), self.key());
        assertEquals(OverlayAddress.forKey(key.verifyingKey()).toString(), self.address());
      }
    } finally {
      node.destroy();
      node.waitFor(10, TimeUnit.SECONDS);
      vertx.close();
    }
  }
}
