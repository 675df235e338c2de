package io.github.pierdat.backend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpBackendTest {

  private final HttpBackend backend = new HttpBackend();

  @Test
  void acceptsHttpAndHttpsUrlsWithAHost() {
    assertTrue(backend.accepts(URI.create("http://127.0.0.1:8080/a")));
    assertTrue(backend.accepts(URI.create("HTTPS://example.test/a")));
    assertFalse(backend.accepts(URI.create("file:/a")));
    assertFalse(backend.accepts(URI.create("http:/no-host")));
    assertEquals("http", backend.name());
    assertEquals(java.util.Set.of("http", "https"), backend.schemes());
  }

  @Test
  void seedsAtArtifactsSlashSha256() {
    String sha = "a".repeat(64);
    ArtifactEntry entry = new ArtifactEntry("m", "/data/m", 3, sha, List.of(), List.of());

    Optional<SeedEntry> seed = backend.seedSpec(entry, Path.of("/unused"));

    assertEquals(Optional.of(new SeedEntry("http", Map.of("path", "/artifacts/" + sha))), seed);
  }

  @Test
  void parsesRetryAfterAsSecondsOrHttpDate() {
    assertEquals(Optional.of(Duration.ofSeconds(7)), HttpTransfer.parseRetryAfter(" 7 "));
    String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
    Duration parsed = HttpTransfer.parseRetryAfter(inTenSeconds).orElseThrow();
    assertTrue(parsed.compareTo(Duration.ofSeconds(8)) > 0 && parsed.compareTo(Duration.ofSeconds(11)) < 0, parsed.toString());
    assertEquals(Optional.empty(), HttpTransfer.parseRetryAfter("soon"));
  }

  @Test
  void removesUserInfoFromUrls() {
    assertEquals(URI.create("http://h:1/p?q=1"), HttpBackend.withoutUserInfo(URI.create("http://u:p@h:1/p?q=1")));
  }
}
