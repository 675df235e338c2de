package io.github.pierdat.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * An image read back independently of the code under test: from a Docker-format tar with commons-compress,
 * or from a registry over plain HTTP (v2 API).
 *
 * @param config the image configuration JSON
 * @param layers each layer's entries, base layers first
 * @param layerDigests the compressed layer digests, as the manifest lists them (registry only; empty for tars)
 * @param manifestDigest the manifest's digest (registry only; null for tars)
 * @param configDigest the digest of the configuration's bytes (the image id)
 */
record ImageView(
    JsonNode config, List<List<Entry>> layers, List<String> layerDigests, String manifestDigest, String configDigest) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One entry of a layer tar. */
  record Entry(String name, int mode, long uid, long gid, long mtimeSeconds, boolean directory, byte[] content) {
    String sha256() {
      return Hashing.sha256().hashBytes(content).toString();
    }

    int permissions() {
      return mode & 07777;
    }
  }

  JsonNode containerConfig() {
    return config.get("config");
  }

  /** The last layer that holds {@code path} (without leading slash handling: pass "data/x"). */
  List<Entry> layerWith(String name) {
    for (int i = layers.size() - 1; i >= 0; i--) {
      for (Entry entry : layers.get(i)) {
        if (entry.name().equals(name)) {
          return layers.get(i);
        }
      }
    }
    throw new AssertionError("no layer holds " + name);
  }

  static Entry find(List<Entry> layer, String name) {
    return layer.stream().filter(e -> e.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("layer has no " + name + ": " + names(layer)));
  }

  static List<String> names(List<Entry> layer) {
    return layer.stream().map(Entry::name).toList();
  }

  static ImageView fromDockerTar(Path tar) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.isFile()) {
          files.put(entry.getName(), in.readAllBytes());
        }
      }
    }
    JsonNode manifest = JSON.readTree(files.get("manifest.json")).get(0);
    byte[] configBytes = files.get(manifest.get("Config").asText());
    JsonNode config = JSON.readTree(configBytes);
    List<List<Entry>> layers = new ArrayList<>();
    for (JsonNode layer : manifest.get("Layers")) {
      layers.add(readLayer(files.get(layer.asText())));
    }
    return new ImageView(config, layers, List.of(), null, "sha256:" + Hashing.sha256().hashBytes(configBytes));
  }

  static ImageView fromRegistry(String registry, String repository, String reference) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<byte[]> manifestResponse = http.send(
        HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/" + repository + "/manifests/" + reference))
            .header("Accept", "application/vnd.docker.distribution.manifest.v2+json,"
                + "application/vnd.oci.image.manifest.v1+json")
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (manifestResponse.statusCode() != 200) {
      throw new AssertionError("GET manifest " + repository + ":" + reference + " answered "
          + manifestResponse.statusCode());
    }
    String manifestDigest = "sha256:" + Hashing.sha256().hashBytes(manifestResponse.body());
    JsonNode manifest = JSON.readTree(manifestResponse.body());
    String configDigest = manifest.get("config").get("digest").asText();
    JsonNode config = JSON.readTree(blob(http, registry, repository, configDigest));
    List<List<Entry>> layers = new ArrayList<>();
    List<String> digests = new ArrayList<>();
    for (JsonNode layer : manifest.get("layers")) {
      String digest = layer.get("digest").asText();
      byte[] bytes = blob(http, registry, repository, digest);
      if (!digest.equals("sha256:" + Hashing.sha256().hashBytes(bytes))) {
        throw new AssertionError("blob " + digest + " does not hash to its digest");
      }
      digests.add(digest);
      layers.add(readLayer(bytes));
    }
    return new ImageView(config, layers, digests, manifestDigest, configDigest);
  }

  private static byte[] blob(HttpClient http, String registry, String repository, String digest) throws Exception {
    HttpResponse<byte[]> response = http.send(
        HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/" + repository + "/blobs/" + digest)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new AssertionError("GET blob " + digest + " answered " + response.statusCode());
    }
    return response.body();
  }

  private static List<Entry> readLayer(byte[] gzippedTar) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (InputStream gunzip = new GzipCompressorInputStream(new ByteArrayInputStream(gzippedTar));
        TarArchiveInputStream in = new TarArchiveInputStream(gunzip)) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        String name = entry.getName().endsWith("/") ? entry.getName().substring(0, entry.getName().length() - 1)
            : entry.getName();
        entries.add(new Entry(name, entry.getMode(), entry.getLongUserId(), entry.getLongGroupId(),
            entry.getModTime().toInstant().getEpochSecond(), entry.isDirectory(),
            entry.isDirectory() ? new byte[0] : in.readAllBytes()));
      }
    }
    return entries;
  }
}
