package io.github.pierdat.it.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.Fixtures;
import io.github.pierdat.it.fixture.FreePort;
import io.github.pierdat.it.fixture.ImageConfig;
import io.github.pierdat.it.fixture.ImageLayer;
import io.github.pierdat.it.fixture.ItEnvironment;
import io.github.pierdat.it.fixture.JavaBaseImage;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.Podman;
import io.github.pierdat.it.fixture.Registry;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TarEntry;
import io.github.pierdat.it.fixture.TestData;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * An image built with {@code pierdat:build} (trackers configured) runs as a podman container: read-only
 * root filesystem, non-root user, host network bound to 127.0.0.1. Standard BitTorrent clients download
 * its artifact from the container's agent, and read the torrent the build put into the image.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class PierdatSeederInteropIT {

  private static final String PATH = "/data/bt/model.bin";
  private static final byte[] DATA = TestData.random(3 * 1024 * 1024 + 12345, 401);
  private static final String SHA = Sha256.hex(DATA);

  private Path work;
  private Registry registry;
  private Origin origin;
  private Opentracker tracker;
  private Podman podman;
  private SampleProject project;
  private BuildResult build;
  private String cache;
  private String from;
  private Registry.Manifest manifest;
  private String infohash;
  private SeedEntry seed;
  private byte[] torrent;
  private String container;
  private int btPort;
  private int httpPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @BeforeAll
  void buildAndRun() throws Exception {
    work = Files.createTempDirectory(ItEnvironment.work(), "bt-interop-");
    registry = Registry.start();
    origin = Origin.start().serve("/model.bin", DATA);
    tracker = Opentracker.start(work);
    from = JavaBaseImage.get().pushTo(registry, "base/java-bt:17", List.of("sh", "-c", "sleep 3600"));
    project = SampleProject.copy("bittorrent");
    cache = ArtifactCache.fresh("bt-interop").toString();
    build = build("it/bittorrent:1.0");
    manifest = registry.manifest("it/bittorrent", "1.0");
    ArtifactEntry artifact = project.pierDat().artifacts().get(0);
    seed = artifact.seed("bittorrent").orElseThrow(() -> new AssertionError("no bittorrent seed: " + artifact));
    infohash = seed.param("infohash");
    torrent = imageFile(manifest, "/opt/pierdat/torrents/" + infohash + ".torrent");
    tracker.allow(infohash);

    // From here on the origin is gone: every byte a client gets comes from the running container.
    origin.close();
    btPort = FreePort.find();
    httpPort = FreePort.find();
    podman = Podman.start();
    container = podman.start("pierdat-bt", List.of("--read-only",
        "-e", "PIERDAT_BIND=127.0.0.1", "-e", "PIERDAT_BT_PORT=" + btPort, "-e", "PIERDAT_HTTP_PORT=" + httpPort,
        "-e", "PIERDAT_LOG=info"), registry.reference("it/bittorrent:1.0"));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!podman.logs(container).contains("bittorrent seeder running")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the container's BitTorrent seeder did not start:\n" + podman.logs(container));
      }
      Thread.sleep(250);
    }
  }

  private BuildResult build(String image) {
    return project.build("pierdat:build")
        .property("registry", registry.address())
        .property("source", origin.url("/model.bin"))
        .property("sha", SHA)
        .property("from", from)
        .property("to", registry.reference(image))
        .property("pierdat.trackers", tracker.announceUrl())
        .property("pierdat.cacheDirectory", cache)
        .run()
        .assertSucceeded();
  }

  private byte[] imageFile(Registry.Manifest image, String path) {
    for (ImageLayer layer : registry.layers(image)) {
      TarEntry entry = layer.entry(path).orElse(null);
      if (entry != null) {
        assertEquals("444", entry.octalMode(), path);
        assertEquals(0, entry.uid(), path);
        return entry.content();
      }
    }
    throw new AssertionError("no " + path + " in image " + image.digest());
  }

  @AfterAll
  void stop() {
    if (podman != null && container != null) {
      System.out.println("container log:\n" + podman.logs(container));
    }
    Fixtures.closeAll(podman, tracker, origin, registry);
  }


  private long servedOverBitTorrent() throws IOException, InterruptedException {
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("pierdat_bytes_served_total\\{artifact=\"model.bin\",backend=\"bittorrent\"} (\\d+)")
        .matcher(metrics);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static String run(Duration timeout, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }

  private static String field(String transmissionShow, String name) {
    Matcher m = Pattern.compile("^\\s*" + Pattern.quote(name) + ": (.+)$", Pattern.MULTILINE).matcher(transmissionShow);
    assertTrue(m.find(), "no " + name + " in:\n" + transmissionShow);
    return m.group(1).trim();
  }

  @Test
  void aria2cDownloadsTheArtifactFromTheContainerThroughOpentracker() throws Exception {
    Path dir = Files.createDirectories(work.resolve("aria2"));
    Path torrentFile = Files.write(dir.resolve(infohash + ".torrent"), torrent);
    long before = servedOverBitTorrent();
    Path downloads = dir.resolve("downloads");
    try (Daemon leecher = Aria2.leecher(torrentFile, downloads, dir.resolve("aria2.log"), 90)) {
      assertEquals(0, leecher.waitFor(Duration.ofSeconds(150)),
          () -> "aria2c failed:\n" + leecher.log() + "\ntracker:\n" + tracker.log());
    }
    assertEquals(SHA, Sha256.hex(downloads.resolve("model.bin")));
    assertTrue(servedOverBitTorrent() - before >= DATA.length, "the container's metrics count the upload");
  }

  @Test
  void qbittorrentDownloadsTheArtifactFromTheContainerAsADirectPeer() throws Exception {
    Path dir = Files.createDirectories(work.resolve("qbt"));
    // Only the infohash: no tracker, no web seed, so the container given as a peer is the only source.
    try (Qbittorrent qbt = Qbittorrent.start(dir)) {
      Path file = qbt.downloadFromPeer(infohash, "model.bin", DATA.length, "127.0.0.1:" + btPort,
          Duration.ofSeconds(150));
      assertEquals(SHA, Sha256.hex(file));
    }
  }

  @Test
  void imageTorrentIsReadByStandardToolsAndItsInfohashEqualsMktorrents() throws Exception {
    Path dir = Files.createDirectories(work.resolve("tools"));
    Path ours = Files.write(dir.resolve("ours.torrent"), torrent);
    String shown = run(Duration.ofSeconds(30), "transmission-show", ours.toString());
    assertEquals(infohash, field(shown, "Hash"));
    assertEquals("model.bin", field(shown, "Name"));
    assertTrue(shown.contains(tracker.announceUrl()), shown);
    assertTrue(shown.contains(origin.url("/model.bin")), "web seed (url-list) is the HTTP source:\n" + shown);
    assertTrue(run(Duration.ofSeconds(30), "aria2c", "-S", ours.toString()).contains("Info Hash: " + infohash));

    Path data = Files.write(Files.createDirectories(dir.resolve("mk")).resolve("model.bin"), DATA);
    long pieceLength = Long.parseLong(seed.param("pieceLength"));
    Path theirs = dir.resolve("mktorrent.torrent");
    run(Duration.ofSeconds(60), "mktorrent", "-l", Integer.toString(Long.numberOfTrailingZeros(pieceLength)),
        "-a", "http://other.example/announce", "-o", theirs.toString(), data.toString());
    assertEquals(infohash, field(run(Duration.ofSeconds(30), "transmission-show", theirs.toString()), "Hash"));
  }

  @Test
  void infohashAndMagnetAreInPierDatTheLabelsAndTheBuildLog() {
    ImageConfig config = registry.config(manifest);
    assertEquals(infohash, config.labels().get("io.github.pierdat.artifact.0.seed.bittorrent.infohash"));
    String magnet = seed.param("magnet");
    assertTrue(magnet.startsWith("magnet:?xt=urn:btih:" + infohash), magnet);
    assertTrue(magnet.contains("tr=" + java.net.URLEncoder.encode(tracker.announceUrl(),
        java.nio.charset.StandardCharsets.UTF_8)), magnet);
    assertEquals(magnet, config.labels().get("io.github.pierdat.artifact.0.seed.bittorrent.magnet"));
    assertEquals(1, build.linesContaining("BitTorrent magnet of artifact model.bin: " + magnet).size(), build.tail(40));
  }

  @Test
  void rebuildingFromTheCacheGivesTheSameDigest() {
    build("it/bittorrent-again:1.0");
    assertEquals(manifest.digest(), registry.manifest("it/bittorrent-again", "1.0").digest());
  }
}
