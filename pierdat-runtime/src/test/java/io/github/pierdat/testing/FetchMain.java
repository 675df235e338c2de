package io.github.pierdat.testing;

import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.fetch.ArtifactCache;
import io.github.pierdat.fetch.ArtifactFetchException;
import io.github.pierdat.fetch.ArtifactFetcher;
import io.github.pierdat.fetch.ArtifactRequest;
import io.github.pierdat.fetch.FetchedArtifact;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Fetches one artifact in its own JVM, for tests about several processes sharing a cache and about a
 * process killed mid-download. Arguments: cache root, source URL, sha256. Prints one line
 * {@code fetched fromCache=<bool> file=<path>} and exits 0, or prints the error and exits 2.
 */
public final class FetchMain {

  private FetchMain() {}

  public static void main(String[] args) {
    FetchLog log = new FetchLog() {
      @Override
      public void info(String message) {
        System.out.println(message);
      }

      @Override
      public void warn(String message) {
        System.out.println(message);
      }

      @Override
      public void debug(String message) {}
    };
    FetchContext context = FetchContext.builder().connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(10)).initialBackoff(Duration.ofMillis(50)).log(log).build();
    ArtifactFetcher fetcher = new ArtifactFetcher(ArtifactCache.at(Path.of(args[0])), Backends.load());
    try {
      FetchedArtifact artifact = fetcher.fetch(
          new ArtifactRequest("child.bin", "/data/child.bin", args[2], List.of(URI.create(args[1]))), context);
      System.out.println("fetched fromCache=" + artifact.fromCache() + " file=" + artifact.file());
      System.exit(0);
    } catch (ArtifactFetchException e) {
      System.out.println("failed: " + e.getMessage());
      System.exit(2);
    }
  }
}
