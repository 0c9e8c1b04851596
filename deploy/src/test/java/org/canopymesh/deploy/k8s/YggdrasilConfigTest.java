package org.canopymesh.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crawler pod's init container joins the node key (Secret) and the peers (ConfigMap) into
 * Yggdrasil's config. Its script is taken from the render and run here with sh; the real yggdrasil
 * (Debian's, 0.4.7: the keys used are the same in 0.5) must accept what it wrote.
 */
class YggdrasilConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String SCRIPT = "render-yggdrasil-config.sh";

  @TempDir Path tmp;

  private static Path yggdrasil() {
    return Command.find(
        "yggdrasil",
        "yggdrasil is needed to check the crawler's Yggdrasil config: sudo apt-get install yggdrasil",
        "/usr/sbin",
        "/usr/bin");
  }

  /** What the render gives the init container. */
  private record Pod(Container init, Container sidecar, Container crawler, List<Volume> volumes) {
    static Pod of(Rendered r) {
      var spec = r.get(Deployment.class, "canopy-crawler").getSpec().getTemplate().getSpec();
      return new Pod(
          named(spec.getInitContainers(), "yggdrasil-config"),
          named(spec.getInitContainers(), "yggdrasil"),
          named(spec.getContainers(), "crawler"),
          spec.getVolumes());
    }

    private static Container named(List<Container> cs, String name) {
      return cs.stream()
          .filter(c -> c.getName().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no container " + name));
    }

    String env(Container c, String name) {
      return c.getEnv().stream()
          .filter(e -> e.getName().equals(name))
          .map(EnvVar::getValue)
          .findFirst()
          .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }

    /** The volume mounted in {@code c} at the directory holding {@code file}. */
    Volume volumeHolding(Container c, String file) {
      String dir = Path.of(file).getParent().toString();
      VolumeMount m =
          c.getVolumeMounts().stream()
              .filter(v -> v.getMountPath().equals(dir))
              .findFirst()
              .orElseThrow(() -> new AssertionError(c.getName() + " mounts nothing at " + dir));
      return volumes.stream()
          .filter(v -> v.getName().equals(m.getName()))
          .findFirst()
          .orElseThrow();
    }
  }

  @TestFactory
  Stream<DynamicTest> theInitContainerReadsAndWritesWhereItsVolumesAreMounted() {
    return Overlays.each(
        r -> {
          Pod pod = Pod.of(r);
          assertTrue(
              pod.init()
                  .getCommand()
                  .get(pod.init().getCommand().size() - 1)
                  .endsWith("/" + SCRIPT));
          Volume scripts = pod.volumeHolding(pod.init(), pod.init().getCommand().get(1));
          assertTrue(
              r.get(ConfigMap.class, scripts.getConfigMap().getName())
                  .getData()
                  .containsKey(SCRIPT));
          Volume key = pod.volumeHolding(pod.init(), pod.env(pod.init(), "YGG_KEY_FILE"));
          assertEquals("canopy-yggdrasil-node", key.getSecret().getSecretName());
          Volume peers = pod.volumeHolding(pod.init(), pod.env(pod.init(), "YGG_PEERS_FILE"));
          assertTrue(
              r.get(ConfigMap.class, peers.getConfigMap().getName())
                  .getData()
                  .containsKey("peers"));
          String config = pod.env(pod.init(), "YGG_CONFIG");
          Volume run = pod.volumeHolding(pod.init(), config);
          assertEquals("Memory", run.getEmptyDir().getMedium(), "the key stays in memory");
          assertEquals(run, pod.volumeHolding(pod.sidecar(), config), "the sidecar reads it");
          assertTrue(
              pod.sidecar().getCommand().contains(config), pod.sidecar().getCommand().toString());
        });
  }

  @TestFactory
  Stream<DynamicTest> theRenderedConfigIsAcceptedByYggdrasil() {
    return Overlays.each(
        r -> {
          Pod pod = Pod.of(r);
          String script = configMapData(r, pod, pod.init().getCommand().get(1), SCRIPT);
          String peers = configMapData(r, pod, pod.env(pod.init(), "YGG_PEERS_FILE"), "peers");
          JsonNode conf = render(script, newKey(), peers);
          assertEquals(peerLines(peers), strings(conf.get("Peers")));
          assertEquals(
              pod.env(pod.crawler(), "CANOPY_CRAWLER_ADMIN_ENDPOINT"),
              conf.get("AdminListen").asText());
          assertEquals("none", conf.get("IfName").asText(), "no TUN: no NET_ADMIN needed");
          assertEquals(List.of(), strings(conf.get("MulticastInterfaces")));
          assertEquals(List.of(), strings(conf.get("Listen")));
        });
  }

  @Test
  void peersAreTakenOneALineWithoutCommentsOrBlanks() throws IOException {
    String peers =
        "# gateways\n\n  tls://peer.example.org:443  \ntcp://192.0.2.10:12345\n\t# end\n";
    JsonNode conf = render(baseScript(), newKey(), peers);
    assertEquals(
        List.of("tls://peer.example.org:443", "tcp://192.0.2.10:12345"),
        strings(conf.get("Peers")));
  }

  @Test
  void withNoKeyInTheSecretEveryPodMakesItsOwn() throws IOException {
    JsonNode first = render(baseScript(), "", "");
    JsonNode second = render(baseScript(), "", "");
    assertTrue(first.get("PrivateKey").asText().matches("[0-9a-f]{128}"), first.toString());
    assertNotEquals(first.get("PrivateKey"), second.get("PrivateKey"));
  }

  @Test
  void aKeyInTheSecretIsUsed() throws IOException {
    String key = newKey();
    assertEquals(key, render(baseScript(), key, "").get("PrivateKey").asText());
  }

  @Test
  void aKeyThatIsNotHexIsRefused() throws IOException {
    Command.Result r = run(baseScript(), "not-a-key\n", "").result();
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("does not hold a hex private key"), r.err());
  }

  @Test
  void aShortKeyIsRefused() throws IOException {
    Command.Result r = run(baseScript(), "ab".repeat(32), "").result();
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("not 128"), r.err());
  }

  @Test
  void aPeerThatWouldBreakTheJsonIsRefused() throws IOException {
    Command.Result r =
        run(baseScript(), newKey(), "tls://a.example:1\", \"tcp://evil:2\n").result();
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("bad peer"), r.err());
  }

  private static String baseScript() throws IOException {
    return Files.readString(Repository.k8s().resolve("base/" + SCRIPT));
  }

  private static String configMapData(Rendered r, Pod pod, String file, String key) {
    Volume v = pod.volumeHolding(pod.init(), file);
    return r.get(ConfigMap.class, v.getConfigMap().getName()).getData().get(key);
  }

  /** A fresh node key from yggdrasil itself. */
  private static String newKey() {
    Command.Result r =
        Command.run(List.of(yggdrasil().toString(), "-genconf", "-json"), Map.of(), TIMEOUT);
    assertEquals(0, r.exit(), r.err());
    try {
      return JSON.readTree(r.out()).get("PrivateKey").asText();
    } catch (IOException e) {
      throw new AssertionError("yggdrasil -genconf -json printed no JSON: " + r.out(), e);
    }
  }

  /** One run of the script in a directory of its own: what it printed, where it wrote. */
  private record Run(Command.Result result, Path config) {}

  private Run run(String script, String key, String peers) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "pod");
    Files.writeString(dir.resolve(SCRIPT), script);
    Files.writeString(dir.resolve("private-key"), key);
    Files.writeString(dir.resolve("peers"), peers);
    Path config = dir.resolve("yggdrasil.conf");
    Command.Result r =
        Command.run(
            List.of("/bin/sh", dir.resolve(SCRIPT).toString()),
            Map.of(
                "YGG_KEY_FILE", dir.resolve("private-key").toString(),
                "YGG_PEERS_FILE", dir.resolve("peers").toString(),
                "YGG_CONFIG", config.toString(),
                "YGG_BIN", yggdrasil().toString()),
            TIMEOUT);
    return new Run(r, config);
  }

  /** Runs the script, checks that yggdrasil takes the result, and returns it as JSON. */
  private JsonNode render(String script, String key, String peers) {
    try {
      Run run = run(script, key, peers);
      assertEquals(0, run.result().exit(), run.result().err());
      Path conf = run.config();
      Command.Result address =
          Command.run(
              List.of(yggdrasil().toString(), "-useconffile", conf.toString(), "-address"),
              Map.of(),
              TIMEOUT);
      assertEquals(0, address.exit(), "yggdrasil refused the config: " + address.err());
      assertTrue(address.out().strip().matches("2[0-9a-f]{2}:[0-9a-f:]+"), address.out());
      return JSON.readTree(Files.readString(conf));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> peerLines(String peers) {
    return peers
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
