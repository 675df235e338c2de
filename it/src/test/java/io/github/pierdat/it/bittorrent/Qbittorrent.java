package io.github.pierdat.it.bittorrent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pierdat.it.fixture.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * qbittorrent-nox (libtorrent 2.0) on 127.0.0.1 with a private profile, driven through its Web API; DHT,
 * local peer discovery, peer exchange and UPnP off, so its only peers are the ones a test gives it.
 */
public final class Qbittorrent implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Daemon daemon;
  private final int webPort;
  private final Path downloads;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Qbittorrent(Daemon daemon, int webPort, Path downloads) {
    this.daemon = daemon;
    this.webPort = webPort;
    this.downloads = downloads;
  }

  /** Starts one with its profile and downloads under {@code dir}. */
  public static Qbittorrent start(Path dir) throws InterruptedException {
    try {
      Path profile = dir.resolve("qbt-profile");
      Path downloads = Files.createDirectories(dir.resolve("qbt-downloads"));
      Path config = Files.createDirectories(profile.resolve("qBittorrent/config"));
      int webPort = FreePort.find();
      int port = FreePort.find();
      Files.writeString(config.resolve("qBittorrent.conf"), String.join("\n",
          "[LegalNotice]",
          "Accepted=true",
          "",
          "[BitTorrent]",
          "Session\\DHTEnabled=false",
          "Session\\LSDEnabled=false",
          "Session\\PeXEnabled=false",
          "Session\\Interface=lo",
          "Session\\InterfaceName=lo",
          "Session\\InterfaceAddress=127.0.0.1",
          "Session\\Port=" + port,
          "Session\\DefaultSavePath=" + downloads,
          "Session\\TempPathEnabled=false",
          "Session\\MultiConnectionsPerIp=true",
          "",
          "[Preferences]",
          "Connection\\UPnP=false",
          "WebUI\\Address=127.0.0.1",
          "WebUI\\Port=" + webPort,
          "WebUI\\LocalHostAuth=false",
          "WebUI\\CSRFProtection=false",
          "WebUI\\HostHeaderValidation=false",
          ""));
      Daemon daemon = Daemon.start("qbittorrent-nox", dir, dir.resolve("qbittorrent.log"),
          List.of("qbittorrent-nox", "--profile=" + profile, "--webui-port=" + webPort));
      daemon.awaitListening(webPort, Duration.ofSeconds(30));
      return new Qbittorrent(daemon, webPort, downloads);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path downloads() {
    return downloads;
  }

  /**
   * Downloads the torrent {@code infohash} from {@code peer} ({@code host:port}) alone: only the infohash
   * (no tracker, no web seed), the peer added directly (again every few seconds, as libtorrent drops a
   * peer that did not answer yet). Returns the finished file {@code name}.
   */
  public Path downloadFromPeer(String infohash, String name, long size, String peer, Duration timeout)
      throws IOException, InterruptedException {
    addMagnet("magnet:?xt=urn:btih:" + infohash);
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextPeer = 0;
    JsonNode info = null;
    while (info == null || info.get("progress").asDouble() < 1.0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("qbittorrent did not finish: " + info + "\n" + log());
      }
      info = info(infohash);
      if (info != null && System.nanoTime() > nextPeer) {
        addPeer(infohash, peer);
        nextPeer = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      }
      Thread.sleep(300);
    }
    Path file = downloads().resolve(name);
    long waitForFile = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!(Files.isRegularFile(file) && Files.size(file) == size) && System.nanoTime() < waitForFile) {
      Thread.sleep(200);
    }
    return file;
  }

  /** Adds a magnet link, saving into {@link #downloads()}. */
  void addMagnet(String magnet) throws IOException, InterruptedException {
    post("/api/v2/torrents/add", "urls=" + enc(magnet) + "&savepath=" + enc(downloads.toString()));
  }

  /** Adds {@code host:port} as a peer of the torrent (libtorrent connects to it directly). */
  void addPeer(String infohash, String peer) throws IOException, InterruptedException {
    post("/api/v2/torrents/addPeers", "hashes=" + infohash + "&peers=" + enc(peer));
  }

  /** The torrent's entry of {@code /api/v2/torrents/info} (progress, state, name...), or null before it exists. */
  JsonNode info(String infohash) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v2/torrents/info?hashes=" + infohash))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode list = JSON.readTree(r.body());
    return list.isArray() && list.size() > 0 ? list.get(0) : null;
  }

  String log() {
    return daemon.log();
  }

  private void post(String path, String form) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("qbittorrent " + path + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + webPort + path);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      post("/api/v2/app/shutdown", "");
      if (daemon.waitFor(Duration.ofSeconds(10)) != -1) {
        return;
      }
    } catch (IOException | InterruptedException | AssertionError e) {
      // stopped below by PID
    }
    daemon.close();
  }
}
