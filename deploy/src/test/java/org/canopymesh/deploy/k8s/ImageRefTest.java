package org.canopymesh.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageRefTest {
  @Test
  void aTagAfterARegistryPortIsATag() {
    ImageRef r = ImageRef.parse("registry.local:5000/canopymesh/canopy-crawler:0.1.0");
    assertEquals("registry.local:5000/canopymesh/canopy-crawler", r.name());
    assertEquals(Optional.of("0.1.0"), r.tag());
    assertEquals("canopy-crawler", r.shortName());
    assertTrue(r.pinned());
  }

  @Test
  void aRegistryPortAloneIsNoTag() {
    assertFalse(ImageRef.parse("registry.local:5000/canopymesh/canopy-crawler").pinned());
  }

  @Test
  void latestAndNoTagAreNotPinned() {
    assertFalse(ImageRef.parse("postgres:latest").pinned());
    assertFalse(ImageRef.parse("postgres").pinned());
  }

  @Test
  void aDigestPins() {
    assertTrue(ImageRef.parse("postgres@sha256:" + "0".repeat(64)).pinned());
  }
}
