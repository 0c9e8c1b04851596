package org.canopymesh.agent.config;

import java.nio.file.Path;
import org.canopymesh.agent.AgentException;

/** A config that cannot be used: names the file, the field and what is wrong with it. */
public final class ConfigException extends AgentException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public ConfigException(String field, String problem) {
    super(field.isEmpty() ? problem : "field \"" + field + "\": " + problem);
    this.field = field;
  }

  ConfigException(Path file, ConfigException e) {
    super(file + ": " + e.getMessage(), e);
    this.field = e.field;
  }

  /** The field at fault, as a JSON path ({@code mirrors[1].key}), or empty for the whole file. */
  public String field() {
    return field;
  }
}
