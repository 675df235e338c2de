package io.github.pierdat.backend.http.server;

import io.github.pierdat.backend.SeededArtifact;
import io.github.pierdat.manifest.ImagePaths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fixed map from request path to artifact, built once from pier.dat: each artifact at its seed path
 * ({@code /artifacts/<sha256>}) and at its image path. Nothing else is ever served; no file name is ever
 * derived from a request.
 */
final class ArtifactRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(ArtifactRoutes.class);
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  /** Paths the server answers itself; an artifact cannot take them. */
  static final List<String> RESERVED = List.of("/", "/healthz", "/metrics");

  private final Map<String, ServedArtifact> byPath;
  private final List<ServedArtifact> artifacts;

  private ArtifactRoutes(Map<String, ServedArtifact> byPath, List<ServedArtifact> artifacts) {
    this.byPath = Collections.unmodifiableMap(byPath);
    this.artifacts = List.copyOf(artifacts);
  }

  static ArtifactRoutes of(List<SeededArtifact> seeded) {
    Map<String, ServedArtifact> byPath = new LinkedHashMap<>();
    List<ServedArtifact> artifacts = new ArrayList<>();
    for (SeededArtifact s : seeded) {
      String sha = s.artifact().sha256();
      if (!SHA256.matcher(sha).matches()) {
        LOG.error("not serving {}: its sha256 '{}' is not 64 lower-case hex digits", s.artifact().path(), sha);
        continue;
      }
      String url = Optional.ofNullable(s.seed().param("path")).orElse("/artifacts/" + sha);
      if (ImagePaths.problem(url).isPresent()) {
        LOG.warn("seed path '{}' of {} {}; serving it at /artifacts/{}", url, s.artifact().path(),
            ImagePaths.problem(url).get(), sha);
        url = "/artifacts/" + sha;
      }
      ServedArtifact served = new ServedArtifact(s.artifact(), s.file(), url);
      artifacts.add(served);
      add(byPath, url, served);
      if (ImagePaths.problem(s.artifact().path()).isEmpty()) {
        add(byPath, s.artifact().path(), served);
      }
    }
    return new ArtifactRoutes(byPath, artifacts);
  }

  private static void add(Map<String, ServedArtifact> byPath, String path, ServedArtifact served) {
    if (RESERVED.contains(path)) {
      LOG.warn("{} is reserved by the HTTP seeder; {} is served at {} only", path, served.entry().name(),
          served.url());
      return;
    }
    ServedArtifact previous = byPath.putIfAbsent(path, served);
    if (previous != null && !previous.entry().sha256().equals(served.entry().sha256())) {
      LOG.warn("{} is declared twice; serving {} there", path, previous.entry().name());
    }
  }

  /** The artifact at exactly {@code path}, if any. */
  Optional<ServedArtifact> find(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  List<ServedArtifact> all() {
    return artifacts;
  }
}
