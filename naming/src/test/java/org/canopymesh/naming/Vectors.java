package org.canopymesh.naming;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Reads the known-answer files under {@code src/test/resources/vectors}. */
public final class Vectors {
  private Vectors() {}

  /** The text of {@code vectors/<name>}. */
  public static String text(String name) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource vectors/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file system path of {@code vectors/<name>} (test resources are plain files). */
  public static Path path(String name) {
    try {
      return Path.of(Vectors.class.getResource("/vectors/" + name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The lines of a vector file split on spaces, without comments and blank lines. */
  public static List<String[]> rows(String name) {
    return text(name)
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split(" "))
        .toList();
  }

  /** Rows whose first word is {@code kind}, without that word. */
  public static List<String[]> rows(String name, String kind) {
    return rows(name).stream()
        .filter(r -> r[0].equals(kind))
        .map(r -> Arrays.copyOfRange(r, 1, r.length))
        .toList();
  }

  /** Rows as JUnit arguments, each row one {@code String[]} parameter. */
  public static Stream<Arguments> cases(String name) {
    return rows(name).stream().map(r -> Arguments.of((Object) r));
  }

  /** Rows whose first word is {@code kind}, without it, as JUnit arguments. */
  public static Stream<Arguments> cases(String name, String kind) {
    return rows(name, kind).stream().map(r -> Arguments.of((Object) r));
  }

  public static byte[] hex(String s) {
    return s.equals("-") ? new byte[0] : HexFormat.of().parseHex(s);
  }
}
