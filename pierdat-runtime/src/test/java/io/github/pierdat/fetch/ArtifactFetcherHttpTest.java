package io.github.pierdat.fetch;

import static io.github.pierdat.fetch.FetchTesting.MIB;
import static io.github.pierdat.fetch.FetchTesting.backends;
import static io.github.pierdat.fetch.FetchTesting.context;
import static io.github.pierdat.fetch.FetchTesting.filesIn;
import static io.github.pierdat.fetch.FetchTesting.request;
import static io.github.pierdat.fetch.FetchTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.testing.RecordingLog;
import io.github.pierdat.testing.TestOrigin;
import io.github.pierdat.testing.TestOrigin.Request;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactFetcherHttpTest {

  @TempDir Path root;
  private TestOrigin origin;
  private ArtifactCache cache;
  private ArtifactFetcher fetcher;
  private final RecordingLog log = new RecordingLog();
  private final byte[] data = TestOrigin.randomBytes(3 * MIB + 12_345, 42);
  private final String sha = sha256(data);

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start().serve("/model.bin", data);
    cache = ArtifactCache.at(root);
    fetcher = new ArtifactFetcher(cache, backends());
  }

  @AfterEach
  void stop() throws Exception {
    origin.close();
  }

  @Test
  void fetchesOverHttpVerifiesAndMovesIntoTheCacheUnderItsSha256() throws Exception {
    URI source = origin.uri("/model.bin");
    FetchedArtifact artifact = fetcher.fetch(request(sha, source), context(log).build());

    assertEquals(root.resolve("sha256").resolve(sha), artifact.file());
    assertEquals(sha, sha256(artifact.file()));
    assertEquals(data.length, artifact.size());
    assertEquals(source.toString(), artifact.servedBy());
    assertFalse(artifact.fromCache());
    assertEquals(data.length, artifact.bytesTransferred());
    assertEquals(List.of(), artifact.failures());
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(artifact.file())));
    assertEquals(List.of(), filesIn(root.resolve("partial")));
    assertEquals(1, origin.requests().size());
    assertNull(origin.requests().get(0).header("Range"));
    Pattern summary = Pattern.compile("INFO \\[pierdat\\] model\\.bin: 3\\.01 MiB from " + Pattern.quote(source.toString())
        + " in [0-9.]+ m?s \\([0-9.]+ [KMG]iB/s\\) sha256 " + sha);
    assertTrue(log.lines().stream().anyMatch(l -> summary.matcher(l).matches()), log.text());
  }

  @Test
  void cacheHitCostsNoRequestAndNoHashing() throws Exception {
    fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());
    int requests = origin.requests().size();

    FetchedArtifact again = fetcher.fetch(request(sha.toUpperCase(), origin.uri("/model.bin")), context(log).build());

    assertEquals(requests, origin.requests().size());
    assertTrue(again.fromCache());
    assertEquals("cache", again.servedBy());
    assertEquals(0, again.bytesTransferred());
    assertEquals(data.length, again.size());
    assertTrue(log.text().contains("[pierdat] model.bin: 3.01 MiB from cache sha256 " + sha), log.text());
  }

  @Test
  void aCacheEntryWithOtherLinksIsHashedBeforeItIsTrusted() throws Exception {
    Path cached = fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build()).file();
    Files.createLink(root.resolve("dest.bin"), cached);
    int requests = origin.requests().size();

    FetchedArtifact again = fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertTrue(again.fromCache());
    assertTrue(again.hashed(), "an entry with other links is hashed before it is trusted");
    assertEquals(cached, again.file());
    assertEquals(2, ArtifactCache.links(cached));
    assertEquals(requests, origin.requests().size());
    assertTrue(log.text().contains("from cache sha256 " + sha + " (hashed again: it has other links)"), log.text());
  }

  @Test
  void aLinkedCacheEntryModifiedInPlaceIsEvictedAndFetchedAgain() throws Exception {
    Path dest = root.resolve("dest.bin");
    Path cached = fetchLinkAndEdit(dest);

    FetchedArtifact again = fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertFalse(again.fromCache());
    assertEquals(2, origin.requests().size());
    assertEquals(cached, again.file());
    assertEquals(sha, sha256(again.file()));
    assertFalse(Files.isSameFile(dest, again.file()), "the edited file left the cache");
    assertEquals(1, ArtifactCache.links(again.file()));
    assertTrue(log.lines().contains("WARN [pierdat] model.bin: cache entry " + cached + " was modified since it was "
        + "verified (it has 2 links, e.g. a DEST placed by pierdat get; its bytes now hash to " + sha256(dest)
        + "): deleting it and fetching again"), log.text());
  }

  @Test
  void aLinkedCacheEntryModifiedInPlaceIsEvictedAndOfflineReportedMissing() throws Exception {
    Path dest = root.resolve("dest.bin");
    Path cached = fetchLinkAndEdit(dest);

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).offline(true).build()));

    assertTrue(e.getMessage().contains("(sha256 " + sha + ") is not in the cache at " + root), e.getMessage());
    assertTrue(log.text().contains("cache entry " + cached + " was modified since it was verified"), log.text());
    assertFalse(Files.exists(cached));
    assertEquals(1, origin.requests().size());
  }

  @Test
  void aCacheEntryEditedThroughALinkThatIsGoneIsStillHashedEvictedAndFetchedAgain() throws Exception {
    Path dest = root.resolve("dest.bin");
    Path cached = fetchLinkAndEdit(dest);
    Files.delete(dest); // the user removes the DEST they edited: the entry has one link again
    assertEquals(1, ArtifactCache.links(cached));

    FetchedArtifact again = fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertEquals(sha, sha256(again.file()), "the cache handed out bytes that do not hash to their name");
    assertFalse(again.fromCache());
    assertEquals(2, origin.requests().size());
    assertTrue(log.text().contains("cache entry " + cached + " was modified since it was verified (it was made "
        + "writable"), log.text());
  }

  /** What a user editing a DEST that is a link to the cache does: make it writable, change a byte in place. */
  private static void editInPlace(Path link) throws Exception {
    Files.setPosixFilePermissions(link, PosixFilePermissions.fromString("rw-r--r--"));
    try (FileChannel channel = FileChannel.open(link, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {'!'}), 1000);
    }
  }

  @Test
  void resumesWithRangeAfterTheConnectionDropsMidBody() throws Exception {
    long drop = MIB + 123;
    origin.dropAfter(drop, false);

    FetchedArtifact artifact = fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertEquals(sha, sha256(artifact.file()));
    List<Request> requests = origin.requests();
    assertEquals(2, requests.size());
    assertNull(requests.get(0).header("Range"));
    assertEquals("bytes=" + drop + "-", requests.get(1).header("Range"));
    assertEquals(TestOrigin.etag(data), requests.get(1).header("If-Range"));
    assertEquals(data.length, origin.bytesServed(), "the retry must not fetch the first part again");
    assertTrue(log.text().contains("resuming at byte " + drop), log.text());
  }

  @Test
  void retriesServerErrorsWithBackoffThenSucceeds() throws Exception {
    origin.failNext(503, 2).retryAfter("0");

    FetchedArtifact artifact = fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertEquals(sha, sha256(artifact.file()));
    assertEquals(3, origin.requests().size());
    assertEquals(2, log.lines().stream().filter(l -> l.contains("server error (HTTP 503)")
        && l.contains("retrying in")).count(), log.text());
    assertTrue(log.text().contains("(attempt 3 of 3)"), log.text());
  }

  @Test
  void givesUpOnServerErrorsAfterMaxAttempts() {
    origin.failNext(500, 10);

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).maxAttempts(2).build()));

    assertEquals(2, origin.requests().size());
    assertTrue(e.getMessage().contains("server error (HTTP 500) at " + origin.uri("/model.bin") + " (after 2 attempts)"),
        e.getMessage());
  }

  @Test
  void doesNotRetryNotFound() throws Exception {
    URI source = origin.uri("/missing.bin");

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher.fetch(request(sha, source), context(log).build()));

    assertEquals(1, origin.requests().size());
    assertTrue(e.getMessage().contains("not found (HTTP 404) at " + source), e.getMessage());
    assertTrue(e.getMessage().contains("model.bin"), e.getMessage());
    assertEquals(List.of(new SourceFailure(source.toString(), "not found (HTTP 404) at " + source)), e.failures());
    assertEquals(List.of(), filesIn(root.resolve("sha256")));
  }

  @Test
  void startsOverWhenTheServerIgnoresRange() throws Exception {
    origin.ignoreRange(true).dropAfter(MIB, false);

    FetchedArtifact artifact = fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertEquals(sha, sha256(artifact.file()));
    assertEquals(data.length, artifact.size());
    List<Request> requests = origin.requests();
    assertEquals(2, requests.size());
    assertEquals("bytes=" + MIB + "-", requests.get(1).header("Range"));
    assertEquals(MIB + data.length, origin.bytesServed());
    assertEquals(MIB + data.length, artifact.bytesTransferred());
  }

  @Test
  void refetchesWithoutRangeWhenTheRangeIsNotSatisfiable() throws Exception {
    // An interrupted download longer than the file: 416, then the whole file.
    Files.createDirectories(root.resolve("partial"));
    Files.write(root.resolve("partial").resolve(sha + ".part"), TestOrigin.randomBytes(data.length + 10, 7));

    FetchedArtifact artifact = fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertEquals(sha, sha256(artifact.file()));
    List<Request> requests = origin.requests();
    assertEquals(2, requests.size());
    assertEquals("bytes=" + (data.length + 10) + "-", requests.get(0).header("Range"));
    assertNull(requests.get(1).header("Range"));
  }

  @Test
  void abortsAStalledTransferAfterTheReadTimeoutAndResumes() throws Exception {
    long stall = 512 * 1024;
    origin.stallAfter(stall, Duration.ofSeconds(20));

    FetchedArtifact artifact = fetcher.fetch(request(sha, origin.uri("/model.bin")),
        context(log).readTimeout(Duration.ofMillis(400)).build());

    assertEquals(sha, sha256(artifact.file()));
    List<Request> requests = origin.requests();
    assertEquals(2, requests.size());
    assertEquals("bytes=" + stall + "-", requests.get(1).header("Range"));
    assertTrue(log.text().contains("(read timeout) at byte " + stall), log.text());
  }

  @Test
  void fallsBackToTheNextSourceWhenTheFirstServesOtherBytes() throws Exception {
    byte[] other = TestOrigin.randomBytes(data.length, 43);
    origin.serve("/stale.bin", other);
    URI stale = origin.uri("/stale.bin");
    URI good = origin.uri("/model.bin");

    FetchedArtifact artifact = fetcher.fetch(request(sha, stale, good), context(log).build());

    assertEquals(good.toString(), artifact.servedBy());
    assertEquals(sha, sha256(artifact.file()));
    String reason = "sha256 mismatch: expected " + sha + ", got " + sha256(other);
    assertEquals(List.of(new SourceFailure(stale.toString(), reason)), artifact.failures());
    assertTrue(log.text().contains("[pierdat] model.bin: source " + stale + " failed: " + reason), log.text());
    assertEquals(2L * data.length, artifact.bytesTransferred());
    assertEquals(List.of(), filesIn(root.resolve("partial")));
  }

  @Test
  void refetchesFromScratchOnceWhenAResumedDownloadDoesNotMatch() throws Exception {
    // A leftover partial download whose bytes are wrong: the resumed result mismatches, so the same
    // source is asked again for the whole file.
    Files.createDirectories(root.resolve("partial"));
    Files.write(root.resolve("partial").resolve(sha + ".part"), TestOrigin.randomBytes(MIB, 9));

    FetchedArtifact artifact = fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertEquals(sha, sha256(artifact.file()));
    assertEquals(List.of(), artifact.failures());
    List<Request> requests = origin.requests();
    assertEquals(2, requests.size());
    assertEquals("bytes=" + MIB + "-", requests.get(0).header("Range"));
    assertNull(requests.get(1).header("Range"));
    assertTrue(log.text().contains("sha256 mismatch after resuming"), log.text());
  }

  @Test
  void listsEverySourceWithItsReasonWhenAllFail() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI notFound = origin.uri("/nope.bin");
    URI refused = URI.create("http://127.0.0.1:" + closedPort + "/model.bin");
    URI unknownHost = URI.create("http://nothing.invalid/model.bin");
    URI noFile = root.resolve("absent.bin").toUri();
    URI ftp = URI.create("ftp://127.0.0.1/model.bin");

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class, () -> fetcher.fetch(
        request(sha, notFound, refused, unknownHost, noFile, ftp), context(log).maxAttempts(2).build()));

    String message = e.getMessage();
    assertTrue(message.startsWith("artifact model.bin (sha256 " + sha + ") could not be fetched from any of its 5 sources:"),
        message);
    assertTrue(message.contains("  - " + notFound + ": not found (HTTP 404) at " + notFound), message);
    assertTrue(message.contains("  - " + refused + ": cannot connect to 127.0.0.1:" + closedPort), message);
    assertTrue(message.contains("(after 2 attempts)"), message);
    assertTrue(message.contains("  - " + unknownHost + ": unknown host nothing.invalid"), message);
    assertTrue(message.contains("  - " + noFile + ": no such file: " + root.resolve("absent.bin")), message);
    assertTrue(message.contains("  - " + ftp + ": unsupported scheme 'ftp'; supported schemes: file, http, https"),
        message);
    assertEquals(5, e.failures().size());
    assertEquals(5, log.lines().stream().filter(l -> l.contains(": source ") && l.contains(" failed: ")).count(),
        log.text());
  }

  @Test
  void unknownSchemeListsTheSupportedSchemes() {
    ArtifactFetchException e = assertThrows(ArtifactFetchException.class, () -> fetcher.fetch(
        request(sha, URI.create("magnet:?xt=urn:btih:abc")), context(log).build()));

    assertTrue(e.getMessage().contains("unsupported scheme 'magnet'; supported schemes: file, http, https"),
        e.getMessage());
  }

  @Test
  void missingSha256PrintsTheComputedOneAndCachesTheBytes() throws Exception {
    URI source = origin.uri("/model.bin");

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher.fetch(request(null, source), context(log).build()));

    assertEquals("artifact model.bin has no <sha256>; the bytes fetched from " + source + " have sha256 " + sha
        + ": after checking them, add <sha256>" + sha + "</sha256>", e.getMessage());
    assertTrue(cache.find(sha).isPresent());
    assertEquals(sha, sha256(cache.find(sha).get()));
    assertEquals(List.of(), filesIn(root.resolve("tmp")));

    int requests = origin.requests().size();
    FetchedArtifact pinned = fetcher.fetch(request(sha, source), context(log).build());
    assertTrue(pinned.fromCache());
    assertEquals(requests, origin.requests().size());
  }

  @Test
  void malformedSha256IsRejectedNamingTheFieldAndValue() {
    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher.fetch(request("abc123", origin.uri("/model.bin")), context(log).build()));

    assertTrue(e.getMessage().contains("artifact model.bin: <sha256> 'abc123' is not a sha256: expected 64 hex digits"),
        e.getMessage());
    assertEquals(0, origin.requests().size());
  }

  @Test
  void invalidPathIsRejectedNamingTheField() {
    ArtifactRequest bad = new ArtifactRequest("m", "data/model.bin", sha, List.of(origin.uri("/model.bin")));

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class, () -> fetcher.fetch(bad, context(log).build()));

    assertTrue(e.getMessage().startsWith("artifact m: <path> 'data/model.bin' is not absolute"), e.getMessage());
  }

  @Test
  void offlineMissFailsNamingTheArtifactAndTheCacheWithoutNetwork() {
    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).offline(true).build()));

    assertEquals("artifact model.bin (sha256 " + sha + ") is not in the cache at " + root
        + "; run once without -o/offline to fetch it", e.getMessage());
    assertEquals(0, origin.requests().size());
  }

  @Test
  void offlineSkipsNetworkSourcesButUsesLocalFiles() throws Exception {
    Path local = Files.write(root.resolve("local-copy.bin"), data);

    FetchedArtifact artifact = fetcher.fetch(
        request(sha, origin.uri("/model.bin"), local.toUri()), context(log).offline(true).build());

    assertEquals(local.toUri().toString(), artifact.servedBy());
    assertEquals(sha, sha256(artifact.file()));
    assertEquals(0, origin.requests().size());
    assertTrue(artifact.failures().get(0).reason().contains("offline"), artifact.failures().toString());
  }

  @Test
  void offlineHitIsServedFromTheCache() throws Exception {
    fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    FetchedArtifact artifact = fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).offline(true).build());

    assertTrue(artifact.fromCache());
  }

  @Test
  void noSourcesSaysToAddThem() {
    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher.fetch(request(sha), context(log).build()));

    assertTrue(e.getMessage().contains("add <sources><source>URL</source></sources>"), e.getMessage());
  }

  @Test
  void followsRedirectsUpToTen() throws Exception {
    for (int i = 0; i < 10; i++) {
      origin.redirect("/r" + i, "/r" + (i + 1));
    }
    origin.redirect("/r10", "/model.bin");
    origin.redirect("/loop", "/loop");

    FetchedArtifact artifact = fetcher.fetch(request(sha, origin.uri("/r1")), context(log).build());
    assertEquals(sha, sha256(artifact.file()));

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class, () -> fetcher.fetch(
        request(sha256(new byte[1]), origin.uri("/loop")), context(log).build()));
    assertTrue(e.getMessage().contains("more than 10 redirects"), e.getMessage());
  }

  @Test
  void keepsResumingAsLongAsEachAttemptGetsFurther() throws Exception {
    origin.dropAfter(MIB, true);

    FetchedArtifact artifact = fetcher.fetch(request(sha, origin.uri("/model.bin")),
        context(log).maxAttempts(2).build());

    assertEquals(sha, sha256(artifact.file()));
    List<Request> requests = origin.requests();
    assertEquals(4, requests.size(), "3 MiB and a bit, 1 MiB per connection");
    assertEquals("bytes=" + 3L * MIB + "-", requests.get(3).header("Range"));
    assertEquals(data.length, origin.bytesServed());
  }

  @Test
  void givesUpWhenAttemptsInARowMakeNoProgress() {
    origin.ignoreRange(true).dropAfter(MIB, true);

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class, () -> fetcher.fetch(
        request(sha, origin.uri("/model.bin")), context(log).maxAttempts(2).build()));

    // 1st: 0 -> 1 MiB, then dies; 2nd: restarts at 0 and dies at 1 MiB again, no further: 2 in a row.
    assertEquals(2, origin.requests().size());
    assertTrue(e.getMessage().contains("(after 2 attempts)"), e.getMessage());
  }

  @Test
  void aPartialDownloadThatIsAlreadyCompleteIsMovedIntoTheCacheWithoutNetwork() throws Exception {
    Files.createDirectories(root.resolve("partial"));
    Files.write(root.resolve("partial").resolve(sha + ".part"), data);

    FetchedArtifact artifact = fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertEquals(0, origin.requests().size());
    assertEquals(sha, sha256(artifact.file()));
    assertEquals(root.resolve("sha256").resolve(sha), artifact.file());
    assertEquals(List.of(), filesIn(root.resolve("partial")));
  }

  @Test
  void offlineWithoutSha256SaysToFetchOnceOnline() {
    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher.fetch(request(null, origin.uri("/model.bin")), context(log).offline(true).build()));

    assertEquals("artifact model.bin has no <sha256>, so it cannot be looked up in the cache offline; run once "
        + "without -o/offline, then add the <sha256> it prints", e.getMessage());
    assertEquals(0, origin.requests().size());
  }

  /** Fetches the artifact, hard-links {@code dest} to its cache entry and edits it in place; the entry. */
  private Path fetchLinkAndEdit(Path dest) throws Exception {
    Path cached = fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build()).file();
    Files.createLink(dest, cached);
    editInPlace(dest);
    return cached;
  }
}
