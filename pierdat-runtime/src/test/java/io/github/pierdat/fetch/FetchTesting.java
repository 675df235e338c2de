package io.github.pierdat.fetch;

import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.file.FileBackend;
import io.github.pierdat.backend.http.HttpBackend;
import io.github.pierdat.hash.Sha256;
import io.github.pierdat.testing.RecordingLog;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Shared set-up for fetcher tests: short timeouts and backoffs, the real backends. */
final class FetchTesting {

  static final int MIB = 1 << 20;

  private FetchTesting() {}

  static Backends backends() {
    return Backends.of(new FileBackend(), new HttpBackend());
  }

  static FetchContext.Builder context(RecordingLog log) {
    return FetchContext.builder()
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(5))
        .maxAttempts(3)
        .initialBackoff(Duration.ofMillis(10))
        .log(log);
  }

  static String sha256(byte[] bytes) {
    return Sha256.hex(Sha256.newDigest().digest(bytes));
  }

  static String sha256(Path file) throws IOException {
    return Sha256.of(file);
  }

  static ArtifactRequest request(String sha256, URI... sources) {
    return new ArtifactRequest(null, "/data/model.bin", sha256, List.of(sources));
  }

  /** The files in a cache directory such as sha256 or partial (none if it does not exist). */
  static List<Path> filesIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var stream = Files.list(dir)) {
      return stream.toList();
    }
  }
}
