package io.github.pierdat.backend.bittorrent.metainfo;

import io.github.pierdat.backend.bittorrent.bencode.BBytes;
import io.github.pierdat.backend.bittorrent.bencode.BDict;
import io.github.pierdat.backend.bittorrent.bencode.BList;
import io.github.pierdat.backend.bittorrent.bencode.BValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Makes deterministic single-file torrents: the same bytes, name and piece length give the same info
 * dictionary, and so the same infohash, on any machine (the same one {@code mktorrent -l <log2> -n <name>}
 * gives). The info dictionary holds only {@code length}, {@code name}, {@code piece length} and
 * {@code pieces}; the file holds no creation date or creator, so its bytes depend only on the inputs.
 *
 * <pre>{@code
 * byte[] torrent = TorrentMaker.forFile(path).name("model.bin")
 *     .trackers(List.of("http://tracker:6969/announce")).webSeeds(List.of("https://origin/model.bin")).make();
 * }</pre>
 */
public final class TorrentMaker {

  private final Path file;
  private String name;
  private long pieceLength = -1;
  private byte[] pieceHashes;
  private List<String> trackers = List.of();
  private List<String> webSeeds = List.of();

  private TorrentMaker(Path file) {
    this.file = Objects.requireNonNull(file, "file");
    Path fileName = file.getFileName();
    this.name = fileName == null ? null : fileName.toString();
  }

  /** Starts a torrent of {@code file}, named after its file name unless {@link #name(String)} says otherwise. */
  public static TorrentMaker forFile(Path file) {
    return new TorrentMaker(file);
  }

  /** The name stored in the torrent (the file name a client saves it as). */
  public TorrentMaker name(String value) {
    if (value == null || value.isEmpty() || value.contains("/") || value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException("torrent name '" + value + "' must be a plain, non-empty file name");
    }
    this.name = value;
    return this;
  }

  /** A fixed piece length (a power of two, at least 16 KiB); by default {@link PieceLength#forSize(long)}. */
  public TorrentMaker pieceLength(long value) {
    if (value < (1 << 14) || Long.bitCount(value) != 1) {
      throw new IllegalArgumentException("piece length " + value + " must be a power of two >= 16384");
    }
    this.pieceLength = value;
    return this;
  }

  /**
   * Piece hashes already computed (e.g. by a {@link PieceHasher} fed while downloading) with the piece
   * length they were computed for; skips reading the file again.
   */
  public TorrentMaker pieceHashes(long length, byte[] hashes) {
    pieceLength(length);
    this.pieceHashes = hashes.clone();
    return this;
  }

  /** Trackers to announce to, each in its own tier so a client announces to all of them. */
  public TorrentMaker trackers(List<String> urls) {
    this.trackers = List.copyOf(urls);
    return this;
  }

  /** Web seeds (BEP 19 url-list): http(s) URLs of the same file. */
  public TorrentMaker webSeeds(List<String> urls) {
    this.webSeeds = List.copyOf(urls);
    return this;
  }

  /** The bencoded torrent file. */
  public byte[] make() throws IOException {
    if (name == null) {
      throw new IllegalArgumentException("torrent of " + file + " needs a name");
    }
    long size = Files.size(file);
    long length = pieceLength > 0 ? pieceLength : PieceLength.forSize(size);
    byte[] hashes = pieceHashes != null ? pieceHashes : PieceHasher.hashFile(file, length);
    long expected = (size + length - 1) / length * 20;
    if (hashes.length != expected) {
      throw new IllegalArgumentException("got " + hashes.length / 20 + " piece hashes for " + file + " (" + size
          + " bytes); expected " + expected / 20 + " for pieces of " + length);
    }
    BDict info = BDict.builder()
        .put("length", size)
        .put("name", name)
        .put("piece length", length)
        .put("pieces", hashes)
        .build();
    BDict.Builder torrent = BDict.builder().put("info", info);
    if (!trackers.isEmpty()) {
      torrent.put("announce", trackers.get(0));
      List<BValue> tiers = new ArrayList<>();
      trackers.forEach(t -> tiers.add(BList.of(BBytes.of(t))));
      torrent.put("announce-list", new BList(tiers));
    }
    if (!webSeeds.isEmpty()) {
      torrent.put("url-list", new BList(webSeeds.stream().map(w -> (BValue) BBytes.of(w)).toList()));
    }
    return torrent.build().encode();
  }
}
