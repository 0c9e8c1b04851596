package org.canopymesh.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.canopymesh.naming.report.PeerKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerClassifierTest {
  @ParameterizedTest
  @CsvSource({
    // multicast-discovered peers as 0.5 prints them (zone escaped) and as 0.4 does
    "tls://[fe80::1c2d:3eff:fe4f:5a6b%25eth0]:38247, LOCAL",
    "tls://[fe80::1c2d:3eff:fe4f:5a6b%eth0]:38247, LOCAL",
    "tls://[fe80::1c2d:3eff:fe4f:5a6b%25eth0], LOCAL",
    "tcp://192.168.1.20:14242, LOCAL",
    "tcp://10.0.0.7:1234, LOCAL",
    "tcp://172.16.5.4:1234, LOCAL",
    "tcp://172.31.255.1:1234, LOCAL",
    "tcp://169.254.3.3:1234, LOCAL",
    "tls://[fd12:3456::1]:443, LOCAL",
    "tcp://172.32.0.1:1234, OVERLAY",
    "tls://198.51.100.23:51876, OVERLAY",
    "tcp://[2001:db8:4::17]:40412, OVERLAY",
    "tls://ygg-fra.example.net:443, OVERLAY",
    "tls://192.168.1.20.example.net:443, OVERLAY",
    "tcp://127.0.0.1:45873, OVERLAY",
    "socks://127.0.0.1:9050/192.168.1.2:443, OVERLAY",
    "unix:///run/ygg.sock, OVERLAY",
    "garbage, OVERLAY",
    "'tcp://[fe80::1', OVERLAY",
  })
  void localMeansLinkLocalOrLanRange(String remote, PeerKind kind) {
    assertEquals(kind, PeerClassifier.kind(Optional.of(remote)));
  }

  @ParameterizedTest
  @CsvSource({
    "tls://host:443?key=abc&password=secret, tls://host:443",
    "tcp://user:pw@192.168.1.2:1234, tcp://192.168.1.2:1234",
    "tls://[fe80::1%25eth0]:1#x, tls://[fe80::1%25eth0]:1",
    "'tcp://a b', ''",
  })
  void remotesLoseSecretsAndWhatDoesNotFit(String remote, String reported) {
    assertEquals(
        reported.isEmpty() ? Optional.empty() : Optional.of(reported),
        PeerClassifier.reportable(Optional.of(remote)));
  }
}
