package io.github.pierdat.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pierdat.manifest.AppCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a base image's configuration pierdat needs: the command it runs. Jib keeps the rest (user,
 * environment, ports, volumes, labels) by itself.
 *
 * @param entrypoint ENTRYPOINT, or empty
 * @param cmd CMD, or empty
 * @param workingDir the working directory, or null
 * @param user the user, or null
 * @param env the environment as {@code NAME=value} strings
 */
record BaseImageConfig(List<String> entrypoint, List<String> cmd, String workingDir, String user, List<String> env) {

  static final BaseImageConfig SCRATCH = new BaseImageConfig(List.of(), List.of(), null, null, List.of());

  /** Reads the container config object ({@code config} of an image config, {@code Config} of docker inspect). */
  static BaseImageConfig fromContainerConfig(JsonNode config) {
    if (config == null || !config.isObject()) {
      return SCRATCH;
    }
    return new BaseImageConfig(
        strings(field(config, "Entrypoint")),
        strings(field(config, "Cmd")),
        text(field(config, "WorkingDir")),
        text(field(config, "User")),
        strings(field(config, "Env")));
  }

  /** The base image's command as pier.dat records it. */
  AppCommand app() {
    return new AppCommand(entrypoint, cmd, workingDir);
  }

  private static JsonNode field(JsonNode config, String name) {
    JsonNode value = config.get(name);
    return value != null ? value : config.get(Character.toLowerCase(name.charAt(0)) + name.substring(1));
  }

  private static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(value -> values.add(value.asText()));
    }
    return List.copyOf(values);
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
  }
}
