package io.github.pierdat.agent;

import io.github.pierdat.json.Json;
import io.github.pierdat.json.JsonException;
import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of pier.dat the agent needs before it starts the app: the format version, the app command and
 * the log level, read leniently so that the app starts even if a part it does not need is malformed;
 * the full file is read and checked later with {@link io.github.pierdat.manifest.PierDatCodec}.
 *
 * @param version the format version (always {@link PierDat#CURRENT_VERSION} once read)
 * @param app the base image's command
 * @param log the log level from the settings, or null
 * @param httpPort the HTTP port from the settings, or 0 if not given
 */
record PierDatHead(int version, AppCommand app, String log, int httpPort) {

  /**
   * Reads the head of {@code file}, refusing unknown versions like the full codec does.
   *
   * @throws PierDatException naming the file, the problem and what to do
   */
  static PierDatHead read(Path file) throws PierDatException {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new PierDatException(file + " does not exist; set PIERDAT_CONFIG to the pier.dat to use", e);
    } catch (IOException e) {
      throw new PierDatException("cannot read " + file + ": " + e, e);
    }
    Object tree;
    try {
      tree = Json.parse(json);
    } catch (JsonException e) {
      throw new PierDatException(file + " is not valid JSON: " + e.getMessage(), e);
    }
    if (!(tree instanceof Map<?, ?> root)) {
      throw new PierDatException(file + " is not a JSON object; expected a pier.dat written by pierdat");
    }
    Object version = root.get("version");
    if (!(version instanceof Long v)) {
      throw new PierDatException(file + " has no numeric \"version\"; expected " + PierDat.CURRENT_VERSION);
    }
    if (v != PierDat.CURRENT_VERSION) {
      throw new PierDatException(
          file + " has version " + v + ", but this agent reads version " + PierDat.CURRENT_VERSION
              + " only; use a pierdat agent at least as new as the one that built the image");
    }
    AppCommand app = AppCommand.none();
    Object appNode = root.get("app");
    if (appNode instanceof Map<?, ?> a) {
      app = new AppCommand(strings(a.get("entrypoint"), file, "app.entrypoint"),
          strings(a.get("cmd"), file, "app.cmd"), string(a.get("workingDir"), file, "app.workingDir"));
    } else if (appNode != null) {
      throw new PierDatException(file + ": \"app\" must be an object with entrypoint, cmd and workingDir");
    }
    String log = null;
    int httpPort = 0;
    if (root.get("settings") instanceof Map<?, ?> settings) {
      log = string(settings.get("log"), file, "settings.log");
      if (settings.get("httpPort") instanceof Long port && port > 0 && port < 65536) {
        httpPort = port.intValue();
      }
    }
    return new PierDatHead(v.intValue(), app, log, httpPort);
  }

  private static List<String> strings(Object node, Path file, String field) throws PierDatException {
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof List<?> list)) {
      throw new PierDatException(file + ": \"" + field + "\" must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof String s)) {
        throw new PierDatException(file + ": \"" + field + "\" must be a list of strings, found " + item);
      }
      out.add(s);
    }
    return out;
  }

  private static String string(Object node, Path file, String field) throws PierDatException {
    if (node == null || node instanceof String) {
      return (String) node;
    }
    throw new PierDatException(file + ": \"" + field + "\" must be a string, found " + node);
  }
}
