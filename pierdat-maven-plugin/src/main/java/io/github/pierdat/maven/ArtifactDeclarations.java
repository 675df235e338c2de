package io.github.pierdat.maven;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.fetch.ArtifactRequest;
import io.github.pierdat.manifest.ImagePaths;
import io.github.pierdat.manifest.Sources;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the {@code <artifacts>} of a build before anything is fetched, so every mistake is reported at
 * once with the artifact, the field, the value and what was expected.
 */
final class ArtifactDeclarations {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  private ArtifactDeclarations() {}

  /**
   * The requests for {@code configs}, in order.
   *
   * @throws InvalidConfigurationException listing every problem found
   */
  static List<ArtifactRequest> validate(List<ArtifactConfig> configs, Backends backends)
      throws InvalidConfigurationException {
    List<String> problems = new ArrayList<>();
    if (configs == null || configs.isEmpty()) {
      throw new InvalidConfigurationException(
          List.of("no <artifacts> are configured: declare at least one <artifact> with <path>, <sha256> and <sources>"));
    }
    List<ArtifactRequest> requests = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      ArtifactConfig config = configs.get(i);
      String label = label(i, config);
      String path = config.getPath() == null ? null : config.getPath().trim();
      Optional<String> pathProblem = ImagePaths.problem(path);
      pathProblem.ifPresent(p -> problems.add(label + ": <path> '" + nullToEmpty(path) + "' " + p));
      for (int j = 0; j < i && pathProblem.isEmpty(); j++) {
        String other = configs.get(j).getPath() == null ? null : configs.get(j).getPath().trim();
        if (other != null && ImagePaths.problem(other).isEmpty() && ImagePaths.overlap(path, other)) {
          problems.add(label + ": <path> '" + path + "' "
              + (path.equals(other) ? "is declared twice" : "overlaps")
              + " (also " + label(j, configs.get(j)) + "); each artifact needs its own file path");
        }
      }
      String sha256 = config.getSha256() == null ? null : config.getSha256().trim();
      if (sha256 != null && sha256.isEmpty()) {
        sha256 = null;
      }
      if (sha256 != null && !SHA256.matcher(sha256).matches()) {
        problems.add(label + ": <sha256> '" + sha256 + "' is not a sha256: expected 64 hex digits"
            + " (run sha256sum on a copy you trust, or leave it out once to have the build print it)");
        sha256 = null;
      }
      List<URI> sources = sources(label, config, backends, problems);
      if (problems.isEmpty()) {
        requests.add(new ArtifactRequest(
            blankToNull(config.getName()), path, sha256 == null ? null : sha256.toLowerCase(Locale.ROOT), sources));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(problems);
    }
    return requests;
  }

  private static List<URI> sources(String label, ArtifactConfig config, Backends backends, List<String> problems) {
    List<URI> sources = new ArrayList<>();
    List<String> declared = config.getSources();
    if (declared == null || declared.isEmpty()) {
      problems.add(label + ": no <sources>: add at least one <source> (an http(s):// URL or a file: path)");
      return sources;
    }
    for (String raw : declared) {
      String value = raw == null ? "" : raw.trim();
      URI uri;
      try {
        uri = new URI(value);
      } catch (URISyntaxException e) {
        problems.add(label + ": <source> '" + Sources.redact(value) + "' is not a valid URI: " + e.getReason()
            + " at index " + e.getIndex() + "; expected e.g. https://host/file or file:/abs/path");
        continue;
      }
      if (uri.getScheme() == null) {
        problems.add(label + ": <source> '" + Sources.redact(value) + "' has no scheme; expected one of "
            + backends.supportedSchemes() + " (e.g. https://host/file or file:/abs/path)");
        continue;
      }
      Optional<Backend> backend = backends.forSource(uri);
      if (backend.isEmpty()) {
        problems.add(label + ": <source> '" + Sources.redact(value) + "' uses the unsupported scheme '"
            + uri.getScheme() + "'; supported: " + backends.supportedSchemes());
        continue;
      }
      Optional<String> problem = backend.get().problem(uri);
      if (problem.isPresent()) {
        // Refused even when another source would deliver: pier.dat must not record a source that cannot work.
        problems.add(label + ": " + problem.get());
        continue;
      }
      sources.add(uri);
    }
    return sources;
  }

  private static String label(int index, ArtifactConfig config) {
    String path = config.getPath() == null || config.getPath().isBlank() ? null : config.getPath().trim();
    String name = blankToNull(config.getName());
    String id = name != null ? name : path != null ? path : "#" + (index + 1);
    return "artifact '" + id + "'";
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
