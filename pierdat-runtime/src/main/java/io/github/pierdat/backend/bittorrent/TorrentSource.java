package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.bittorrent.metainfo.InfoHash;
import io.github.pierdat.backend.bittorrent.metainfo.MagnetLink;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentFormatException;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.manifest.Sources;
import io.github.pierdat.peer.PeerAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * What a BitTorrent source names: an infohash, the metainfo when the source is a .torrent, and the trackers
 * and peers to ask. Sources are {@code magnet:?xt=urn:btih:...} or {@code torrent+file:/path.torrent},
 * {@code torrent+http://...}, {@code torrent+https://...} (a .torrent file to read first).
 *
 * @param infoHash the torrent's infohash
 * @param metainfo the torrent's metainfo, or null for a magnet (bt fetches it from peers)
 * @param name a display name, or null
 * @param trackers tracker URLs to ask, source's own first
 * @param peers static peers to ask
 * @param webSeeds HTTP(S) URLs of the whole file (the torrent's url-list or the magnet's ws=), to fill in
 *     what the swarm did not deliver
 * @param file which file of the torrent the source names ({@code #file=} or a magnet's {@code so=})
 * @param shown the source as messages show it (no credentials)
 */
record TorrentSource(InfoHash infoHash, TorrentMetainfo metainfo, byte[] torrentBytes, String name,
    List<String> trackers, List<PeerAddress> peers, List<String> webSeeds, FileChoice file, String shown) {

  /** The largest .torrent file read: 20 bytes per piece make even a 16 MiB-piece terabyte torrent smaller. */
  static final int MAX_TORRENT_BYTES = 16 << 20;
  static final String PREFIX = "torrent+";

  static TorrentSource resolve(URI source, FetchContext context, BitTorrentOptions options)
      throws FetchException, IOException {
    String scheme = source.getScheme() == null ? "" : source.getScheme().toLowerCase(Locale.ROOT);
    List<PeerAddress> peers = new ArrayList<>();
    LinkedHashSet<String> trackers = new LinkedHashSet<>();
    String shown = Sources.redact(source);
    if (scheme.equals("magnet")) {
      MagnetLink magnet;
      FileChoice file;
      try {
        magnet = MagnetLink.parse(FileChoice.withoutFragment(source));
        for (String peer : magnet.peers()) {
          try {
            peers.add(PeerAddress.parse(peer));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("x.pe '" + peer + "' is not a peer: " + e.getMessage() + "; expected "
                + PeerAddress.FORMS, e);
          }
        }
      } catch (IllegalArgumentException e) {
        throw new FetchException("source " + source + " is not a usable magnet link: " + e.getMessage(), e);
      }
      try {
        file = FileChoice.of(source, shown, magnet.selectOnly());
      } catch (IllegalArgumentException e) {
        throw new FetchException(e.getMessage(), e);
      }
      trackers.addAll(magnet.trackers());
      trackers.addAll(options.trackers());
      peers.addAll(options.peers());
      return new TorrentSource(magnet.infoHash(), null, null, magnet.displayName(), List.copyOf(trackers),
          peers, magnet.webSeeds(), file, shown);
    }
    if (!scheme.startsWith(PREFIX)) {
      throw new FetchException("source " + Sources.redact(source) + " is not a BitTorrent source; expected"
          + " magnet:?xt=urn:btih:... or torrent+file:, torrent+http:, torrent+https: followed by a .torrent URL");
    }
    FileChoice file;
    try {
      file = FileChoice.of(source, shown, null);
    } catch (IllegalArgumentException e) {
      throw new FetchException(e.getMessage(), e);
    }
    // The fragment names a file inside the torrent; it is no part of the .torrent file's URL.
    byte[] bytes = readTorrent(FileChoice.withoutFragment(source), scheme.substring(PREFIX.length()), context);
    TorrentMetainfo meta;
    try {
      meta = TorrentMetainfo.parse(bytes);
    } catch (TorrentFormatException e) {
      throw new FetchException("source " + shown + ": " + e.getMessage(), e);
    }
    trackers.addAll(meta.trackerUrls());
    trackers.addAll(options.trackers());
    peers.addAll(options.peers());
    TorrentSource resolved = new TorrentSource(meta.infoHash(), meta, bytes, meta.name(), List.copyOf(trackers),
        peers, meta.webSeeds(), file, shown);
    try {
      resolved.selectedFile();
    } catch (IllegalArgumentException e) {
      throw new FetchException(e.getMessage(), e);
    }
    return resolved;
  }

  /**
   * The index of the file the artifact is, for a source whose metainfo is known.
   *
   * @throws IllegalArgumentException when the source names no file of a multi-file torrent, or one it lacks
   */
  int selectedFile() {
    return file.select(metainfo.files(), metainfo.name(), shown, describe());
  }

  private static byte[] readTorrent(URI source, String innerScheme, FetchContext context)
      throws FetchException, IOException {
    URI inner = URI.create(source.toString().substring(PREFIX.length()));
    String shown = Sources.redact(source);
    switch (innerScheme) {
      case "file" -> {
        Path path;
        try {
          path = Path.of(inner);
        } catch (IllegalArgumentException e) {
          throw new FetchException("source " + shown + " is not a file URL such as torrent+file:/path/x.torrent", e);
        }
        if (!Files.isRegularFile(path)) {
          throw new FetchException("source " + shown + ": no such torrent file " + path);
        }
        if (Files.size(path) > MAX_TORRENT_BYTES) {
          throw new FetchException("source " + shown + ": " + path + " is larger than a torrent file can be ("
              + MAX_TORRENT_BYTES + " bytes)");
        }
        return Files.readAllBytes(path);
      }
      case "http", "https" -> {
        if (context.offline()) {
          throw new FetchException("offline: cannot download the torrent file of " + shown);
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(context.connectTimeout())
            .proxy(context.proxySelector()).followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(inner).timeout(context.readTimeout()).GET();
        context.credentials().ifPresent(c -> request.header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8))));
        try {
          HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
          try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
              throw new FetchException("source " + shown + ": the torrent file answered HTTP "
                  + response.statusCode(), response.statusCode() >= 500, null);
            }
            byte[] bytes = body.readNBytes(MAX_TORRENT_BYTES + 1);
            if (bytes.length > MAX_TORRENT_BYTES) {
              throw new FetchException("source " + shown + " is larger than a torrent file can be");
            }
            return bytes;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new FetchException("interrupted while downloading the torrent file of " + shown, e);
        } catch (IOException e) {
          throw new FetchException("source " + shown + ": cannot download the torrent file: " + e, true, e);
        }
      }
      default -> throw new FetchException("source " + shown + " uses torrent+" + innerScheme
          + "; expected torrent+file:, torrent+http: or torrent+https:");
    }
  }

  /** How the source is named in messages: its infohash and name. */
  String describe() {
    return infoHash.hex() + (name == null ? "" : " (" + name + ")");
  }
}
