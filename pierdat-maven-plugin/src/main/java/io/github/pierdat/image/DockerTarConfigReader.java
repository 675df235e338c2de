package io.github.pierdat.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads the configuration of the image in a Docker-format tar ({@code docker save}, Jib's tar output). */
final class DockerTarConfigReader {

  private static final long MAX_JSON = 8L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private DockerTarConfigReader() {}

  static BaseImageConfig read(Path tar, ImageLog log) throws ImageException {
    if (!Files.isRegularFile(tar)) {
      throw new ImageException("baseImage tar://" + tar + " does not exist; expected a Docker-format tar"
          + " (docker save, or a tar written by pierdat or Jib)");
    }
    // One pass: manifest.json usually comes after the config it names.
    Map<String, byte[]> jsonFiles = new HashMap<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(tar));
        TarArchiveInputStream in = new TarArchiveInputStream(raw)) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
        if (entry.isFile() && (name.endsWith(".json") || name.startsWith("blobs/")) && entry.getSize() <= MAX_JSON
            || name.equals("oci-layout")) {
          jsonFiles.put(name, in.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new ImageException("baseImage tar://" + tar + " cannot be read as a tar: " + e.getMessage()
          + "; expected an uncompressed Docker-format tar (docker save)", e);
    }
    byte[] manifest = jsonFiles.get("manifest.json");
    if (manifest == null) {
      throw new ImageException("baseImage tar://" + tar + " has no manifest.json"
          + (jsonFiles.containsKey("oci-layout") || jsonFiles.containsKey("index.json")
              ? "; it is an OCI-format tar, but Jib reads Docker-format tars only: convert it with"
                  + " skopeo copy oci-archive:IN docker-archive:OUT"
              : "; expected a Docker-format tar (docker save)"));
    }
    try {
      JsonNode entries = JSON.readTree(manifest);
      if (!entries.isArray() || entries.isEmpty() || !entries.get(0).path("Config").isTextual()) {
        throw new ImageException("baseImage tar://" + tar + " has a manifest.json without images; expected"
            + " [{\"Config\": ..., \"Layers\": [...]}] as docker save writes it");
      }
      if (entries.size() > 1) {
        log.warn("baseImage tar://" + tar + " holds " + entries.size() + " images; using the first");
      }
      String configName = entries.get(0).get("Config").asText();
      byte[] config = jsonFiles.get(configName);
      if (config == null) {
        throw new ImageException("baseImage tar://" + tar + " names config " + configName
            + " in manifest.json, but the tar has no such file; the tar is incomplete: save it again");
      }
      return BaseImageConfig.fromContainerConfig(JSON.readTree(config).get("config"));
    } catch (IOException e) {
      throw new ImageException("baseImage tar://" + tar + " has malformed JSON: " + e.getMessage(), e);
    }
  }
}
