package io.github.pierdat.fetch;

import static io.github.pierdat.fetch.FetchTesting.MIB;
import static io.github.pierdat.fetch.FetchTesting.backends;
import static io.github.pierdat.fetch.FetchTesting.context;
import static io.github.pierdat.fetch.FetchTesting.filesIn;
import static io.github.pierdat.fetch.FetchTesting.request;
import static io.github.pierdat.fetch.FetchTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.testing.ChildJvm;
import io.github.pierdat.testing.FetchMain;
import io.github.pierdat.testing.RecordingLog;
import io.github.pierdat.testing.TestOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several threads and processes on one cache, and a process killed in the middle of a download. */
class ConcurrentFetchTest {

  @TempDir Path root;
  @TempDir Path logs;
  private TestOrigin origin;
  private final byte[] data = TestOrigin.randomBytes(4 * MIB, 77);
  private final String sha = sha256(data);

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start().serve("/model.bin", data);
  }

  @AfterEach
  void stop() throws Exception {
    origin.close();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void twoThreadsFetchingTheSameArtifactDownloadItOnce() throws Exception {
    origin.throttle(8L * MIB);
    ArtifactFetcher fetcher = new ArtifactFetcher(ArtifactCache.at(root), backends());
    RecordingLog log = new RecordingLog();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<FetchedArtifact>> results = List.of(
          threads.submit(() -> {
            go.await();
            return fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());
          }),
          threads.submit(() -> {
            go.await();
            return fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());
          }));
      go.countDown();
      FetchedArtifact first = results.get(0).get(60, TimeUnit.SECONDS);
      FetchedArtifact second = results.get(1).get(60, TimeUnit.SECONDS);

      assertEquals(first.file(), second.file());
      assertEquals(sha, sha256(first.file()));
      assertNotEquals(first.fromCache(), second.fromCache(), "exactly one of them downloads");
      assertEquals(1, origin.requests().size());
      assertEquals(data.length, origin.bytesServed());
      assertTrue(log.text().contains("waiting for another thread fetching it"), log.text());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void twoProcessesFetchingTheSameArtifactDownloadItOnce() throws Exception {
    origin.throttle(4L * MIB);
    ChildJvm child = ChildJvm.start(logs, FetchMain.class, root.toString(), origin.uri("/model.bin").toString(), sha);
    // Once the child's request arrived it holds the cache lock for this sha256.
    await(() -> !origin.requests().isEmpty(), "the child process asked the origin");
    RecordingLog log = new RecordingLog();

    FetchedArtifact here = new ArtifactFetcher(ArtifactCache.at(root), backends())
        .fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertTrue(child.process().waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, child.process().exitValue(), child.output());
    assertTrue(child.output().contains("fetched fromCache=false"), child.output());
    assertTrue(here.fromCache());
    assertEquals(sha, sha256(here.file()));
    assertTrue(log.text().contains("waiting for another process fetching it"), log.text());
    assertTrue(log.text().contains("from cache sha256 " + sha + " (fetched by another build)"), log.text());
    assertEquals(1, origin.requests().size());
    assertEquals(data.length, origin.bytesServed());
  }

  @Test
  void resumesTheDownloadOfAProcessKilledMidBody() throws Exception {
    origin.throttle(2L * MIB);
    ArtifactCache cache = ArtifactCache.at(root);
    Path partial = root.resolve("partial").resolve(sha + ".part");
    ChildJvm child = ChildJvm.start(logs, FetchMain.class, root.toString(), origin.uri("/model.bin").toString(), sha);
    await(() -> Files.exists(partial) && partial.toFile().length() >= MIB, "the child wrote 1 MiB");

    child.process().destroyForcibly();
    assertTrue(child.process().waitFor(30, TimeUnit.SECONDS));

    assertEquals(List.of(), filesIn(root.resolve("sha256")), "a killed download never lands in sha256/");
    long kept = Files.size(partial);
    assertTrue(kept > 0 && kept < data.length, "partial has " + kept + " bytes");
    origin.throttle(0);
    int before = origin.requests().size();
    RecordingLog log = new RecordingLog();

    FetchedArtifact artifact = new ArtifactFetcher(cache, backends())
        .fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertEquals(sha, sha256(artifact.file()));
    assertEquals(before + 1, origin.requests().size());
    assertEquals("bytes=" + kept + "-", origin.requests().get(before).header("Range"));
    assertEquals(data.length - kept, artifact.bytesTransferred());
    assertTrue(Files.notExists(partial));
  }
}
