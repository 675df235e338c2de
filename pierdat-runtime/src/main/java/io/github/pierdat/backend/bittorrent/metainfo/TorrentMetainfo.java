package io.github.pierdat.backend.bittorrent.metainfo;

import io.github.pierdat.backend.bittorrent.bencode.BBytes;
import io.github.pierdat.backend.bittorrent.bencode.BDict;
import io.github.pierdat.backend.bittorrent.bencode.BInteger;
import io.github.pierdat.backend.bittorrent.bencode.BList;
import io.github.pierdat.backend.bittorrent.bencode.BValue;
import io.github.pierdat.backend.bittorrent.bencode.BencodeException;
import io.github.pierdat.backend.bittorrent.bencode.BencodeReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A parsed BitTorrent v1 metainfo (.torrent) file (BEP 3, with BEP 12 announce-list and BEP 19 url-list),
 * single- or multi-file. The infohash is the sha1 of the exact bytes of the {@code info} value as they
 * appear in the file, so a non-canonical but accepted file still hashes as its creator meant.
 *
 * @param infoHash the sha1 of the info dictionary's bytes
 * @param name the suggested file (single-file) or directory (multi-file) name
 * @param pieceLength bytes per piece
 * @param pieceHashes the concatenated 20-byte sha1 of every piece
 * @param files the files in order; a single-file torrent has one, with {@code name} as its path
 * @param multiFile whether the info dictionary has a {@code files} list
 * @param privateFlag whether the torrent is private (BEP 27)
 * @param trackers announce tiers: announce-list if present, else the single announce URL
 * @param webSeeds url-list (BEP 19) web seeds
 * @param infoBytes the exact bencoded info dictionary
 */
public record TorrentMetainfo(
    InfoHash infoHash,
    String name,
    long pieceLength,
    byte[] pieceHashes,
    List<FileEntry> files,
    boolean multiFile,
    boolean privateFlag,
    List<List<String>> trackers,
    List<String> webSeeds,
    byte[] infoBytes) {

  /**
   * One file of a torrent.
   *
   * @param path the path segments below the torrent's name (for a single-file torrent: just the name)
   * @param length its size in bytes
   */
  public record FileEntry(List<String> path, long length) {
    public FileEntry {
      path = List.copyOf(path);
    }
  }

  public TorrentMetainfo {
    files = List.copyOf(files);
    trackers = trackers.stream().map(List::copyOf).toList();
    webSeeds = List.copyOf(webSeeds);
  }

  /** Total bytes of all files. */
  public long totalLength() {
    return files.stream().mapToLong(FileEntry::length).sum();
  }

  /** Number of pieces. */
  public int pieceCount() {
    return pieceHashes.length / 20;
  }

  /** The sha1 of piece {@code index}. */
  public byte[] pieceHash(int index) {
    return Arrays.copyOfRange(pieceHashes, index * 20, index * 20 + 20);
  }

  /** Every tracker URL, tiers flattened, without duplicates. */
  public List<String> trackerUrls() {
    return trackers.stream().flatMap(List::stream).distinct().toList();
  }

  /**
   * Parses a .torrent file strictly.
   *
   * @throws TorrentFormatException naming the field and what was expected (bencode errors name the offset)
   */
  public static TorrentMetainfo parse(byte[] torrent) {
    try {
      return parseChecked(torrent);
    } catch (BencodeException e) {
      throw new TorrentFormatException("not a valid torrent file: " + e.getMessage(), e);
    }
  }

  private static TorrentMetainfo parseChecked(byte[] torrent) {
    BencodeReader reader = new BencodeReader(torrent);
    BencodeReader.DictCursor top = reader.beginDictionary();
    BDict.Builder others = BDict.builder();
    byte[] infoBytes = null;
    BDict info = null;
    BBytes key;
    while ((key = top.nextKey()) != null) {
      int start = reader.position();
      BValue value = reader.readValue();
      if (key.utf8().equals("info")) {
        if (!(value instanceof BDict d)) {
          throw new TorrentFormatException("torrent field 'info' is a " + value.typeName() + "; expected a dictionary");
        }
        info = d;
        infoBytes = Arrays.copyOfRange(torrent, start, reader.position());
      } else {
        others.put(key.utf8(), value);
      }
    }
    reader.expectEnd();
    if (info == null) {
      throw new TorrentFormatException("torrent has no 'info' dictionary; is this a .torrent file?");
    }
    return fromParts(info, infoBytes, others.build());
  }

  private static TorrentMetainfo fromParts(BDict info, byte[] infoBytes, BDict meta) {
    
    String name = text(info, "info.name", info.get("name"));
    if (name.isEmpty()) {
      throw new TorrentFormatException("torrent field 'info.name' is empty; expected a file or directory name");
    }
    long pieceLength = integer(info, "info.piece length", info.get("piece length"));
    if (pieceLength <= 0) {
      throw new TorrentFormatException("torrent field 'info.piece length' is " + pieceLength + "; expected > 0");
    }
    BValue piecesValue = info.get("pieces").orElseThrow(() -> new TorrentFormatException(
        "torrent has no 'info.pieces'" + (info.get("meta version").isPresent()
            ? "; BitTorrent v2-only torrents are not supported, make a v1 or hybrid torrent" : "")));
    if (!(piecesValue instanceof BBytes pieces) || pieces.length() % 20 != 0) {
      throw new TorrentFormatException("torrent field 'info.pieces' must be a byte string of 20-byte sha1 hashes");
    }

    List<FileEntry> files = new ArrayList<>();
    Optional<BValue> length = info.get("length");
    Optional<BValue> fileList = info.get("files");
    if (length.isPresent() == fileList.isPresent()) {
      throw new TorrentFormatException("torrent 'info' must have exactly one of 'length' (single file) or 'files'"
          + " (multi-file)");
    }
    if (length.isPresent()) {
      files.add(new FileEntry(List.of(name), nonNegative("info.length", integer(info, "info.length", length))));
    } else {
      if (!(fileList.get() instanceof BList list) || list.values().isEmpty()) {
        throw new TorrentFormatException("torrent field 'info.files' must be a non-empty list");
      }
      for (int i = 0; i < list.values().size(); i++) {
        String field = "info.files[" + i + "]";
        if (!(list.values().get(i) instanceof BDict file)) {
          throw new TorrentFormatException("torrent field '" + field + "' must be a dictionary");
        }
        long fileLength = nonNegative(field + ".length", integer(file, field + ".length", file.get("length")));
        if (!(file.get("path").orElse(null) instanceof BList pathList) || pathList.values().isEmpty()) {
          throw new TorrentFormatException("torrent field '" + field + ".path' must be a non-empty list of names");
        }
        List<String> path = new ArrayList<>();
        for (BValue segment : pathList.values()) {
          String s = text(file, field + ".path", Optional.of(segment));
          if (s.isEmpty() || s.equals(".") || s.equals("..") || s.contains("/") || s.contains("\\")) {
            throw new TorrentFormatException("torrent field '" + field + ".path' has an unsafe segment '" + s + "'");
          }
          path.add(s);
        }
        files.add(new FileEntry(path, fileLength));
      }
    }
    long total = files.stream().mapToLong(FileEntry::length).sum();
    long expectedPieces = (total + pieceLength - 1) / pieceLength;
    if (pieces.length() / 20 != expectedPieces) {
      throw new TorrentFormatException("torrent has " + pieces.length() / 20 + " piece hashes; expected "
          + expectedPieces + " for " + total + " bytes in pieces of " + pieceLength);
    }
    boolean privateFlag = info.get("private").orElse(null) instanceof BInteger p && p.value() == 1;

    List<List<String>> trackers = new ArrayList<>();
    if (meta.get("announce-list").orElse(null) instanceof BList tiers && !tiers.values().isEmpty()) {
      for (BValue tier : tiers.values()) {
        if (!(tier instanceof BList urls)) {
          throw new TorrentFormatException("torrent field 'announce-list' must be a list of lists of URLs");
        }
        List<String> tierUrls = new ArrayList<>();
        for (BValue url : urls.values()) {
          tierUrls.add(text(meta, "announce-list", Optional.of(url)));
        }
        if (!tierUrls.isEmpty()) {
          trackers.add(tierUrls);
        }
      }
    } else if (meta.get("announce").isPresent()) {
      trackers.add(List.of(text(meta, "announce", meta.get("announce"))));
    }
    List<String> webSeeds = new ArrayList<>();
    Optional<BValue> urlList = meta.get("url-list");
    if (urlList.isPresent()) {
      if (urlList.get() instanceof BList list) {
        for (BValue url : list.values()) {
          webSeeds.add(text(meta, "url-list", Optional.of(url)));
        }
      } else {
        webSeeds.add(text(meta, "url-list", urlList));
      }
    }
    return new TorrentMetainfo(InfoHash.ofInfoDictionary(infoBytes), name, pieceLength, pieces.bytes(), files,
        fileList.isPresent(), privateFlag, trackers, webSeeds, infoBytes);
  }

  private static String text(BDict dict, String field, Optional<BValue> value) {
    BValue v = value.orElseThrow(() -> new TorrentFormatException("torrent has no '" + field + "'"));
    if (v instanceof BBytes b) {
      return b.utf8();
    }
    throw new TorrentFormatException("torrent field '" + field + "' is a " + v.typeName() + "; expected a string");
  }

  private static long integer(BDict dict, String field, Optional<BValue> value) {
    BValue v = value.orElseThrow(() -> new TorrentFormatException("torrent has no '" + field + "'"));
    if (v instanceof BInteger i) {
      return i.value();
    }
    throw new TorrentFormatException("torrent field '" + field + "' is a " + v.typeName() + "; expected an integer");
  }

  private static long nonNegative(String field, long value) {
    if (value < 0) {
      throw new TorrentFormatException("torrent field '" + field + "' is " + value + "; expected >= 0");
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TorrentMetainfo other && Arrays.equals(infoBytes, other.infoBytes)
        && trackers.equals(other.trackers) && webSeeds.equals(other.webSeeds);
  }

  @Override
  public int hashCode() {
    return infoHash.hashCode();
  }

  @Override
  public String toString() {
    return "TorrentMetainfo[" + infoHash + " " + name + ", " + totalLength() + " bytes, " + pieceCount()
        + " pieces of " + pieceLength + "]";
  }
}
