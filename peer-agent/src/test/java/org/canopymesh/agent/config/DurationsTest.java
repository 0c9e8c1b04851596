package org.canopymesh.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({"500ms, PT0.5S", "30s, PT30S", "15m, PT15M", "2h, PT2H", "30d, PT720H", "2w, PT336H"})
  void parsesOperatorDurations(String text, String iso) {
    assertEquals(Duration.parse(iso), Durations.parse(text));
    assertEquals(text, Durations.format(Durations.parse(text)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "30", "s", "-5s", "1.5h", "3y", "30 s", "9999999999s"})
  void rejectsEverythingElseSayingTheForm(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertEquals(true, e.getMessage().contains("30s, 15m"));
  }
}
