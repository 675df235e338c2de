package io.github.pierdat.backend.bittorrent.metainfo;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A BitTorrent magnet link (BEP 9): {@code magnet:?xt=urn:btih:<40 hex or 32 base32>} with optional
 * {@code dn} (display name), {@code xl} (exact length), {@code tr} (trackers), {@code x.pe} (peers as
 * {@code host:port}, {@code [v6]:port} or {@code dns:name:port}), {@code ws} (web seeds, BEP 19) and
 * {@code so} (BEP 53 select-only, kept as written). Unknown parameters and a {@code #fragment} are ignored.
 *
 * @param infoHash the torrent's infohash
 * @param displayName the {@code dn} value, or null
 * @param exactLength the {@code xl} value, or -1
 * @param trackers {@code tr} values in order
 * @param peers {@code x.pe} values in order
 * @param webSeeds {@code ws} values in order
 * @param selectOnly the raw {@code so} value (file indices), or null
 */
public record MagnetLink(
    InfoHash infoHash, String displayName, long exactLength, List<String> trackers, List<String> peers,
    List<String> webSeeds, String selectOnly) {

  public MagnetLink {
    Objects.requireNonNull(infoHash, "infoHash");
    trackers = List.copyOf(trackers);
    peers = List.copyOf(peers);
    webSeeds = List.copyOf(webSeeds);
  }

  /** A link with only an infohash. */
  public static MagnetLink of(InfoHash infoHash) {
    return new MagnetLink(infoHash, null, -1, List.of(), List.of(), List.of(), null);
  }

  /** This link with {@code dn} set. */
  public MagnetLink withDisplayName(String name) {
    return new MagnetLink(infoHash, name, exactLength, trackers, peers, webSeeds, selectOnly);
  }

  /** This link with {@code xl} set. */
  public MagnetLink withExactLength(long length) {
    return new MagnetLink(infoHash, displayName, length, trackers, peers, webSeeds, selectOnly);
  }

  /** This link with these trackers instead of its own. */
  public MagnetLink withTrackers(List<String> urls) {
    return new MagnetLink(infoHash, displayName, exactLength, urls, peers, webSeeds, selectOnly);
  }

  /** This link with these peers instead of its own. */
  public MagnetLink withPeers(List<String> addresses) {
    return new MagnetLink(infoHash, displayName, exactLength, trackers, addresses, webSeeds, selectOnly);
  }

  /** This link with these web seeds instead of its own. */
  public MagnetLink withWebSeeds(List<String> urls) {
    return new MagnetLink(infoHash, displayName, exactLength, trackers, peers, urls, selectOnly);
  }

  /** The exact length, if the link states one. */
  public OptionalLong length() {
    return exactLength >= 0 ? OptionalLong.of(exactLength) : OptionalLong.empty();
  }

  /** Parses a magnet URI. */
  public static MagnetLink parse(URI uri) {
    return parse(uri.toString());
  }

  /**
   * Parses a magnet link.
   *
   * @throws TorrentFormatException naming the parameter, the value and the expected form
   */
  public static MagnetLink parse(String link) {
    int fragment = link.indexOf('#');
    if (fragment >= 0) {
      link = link.substring(0, fragment);
    }
    if (!link.regionMatches(true, 0, "magnet:?", 0, 8)) {
      throw new TorrentFormatException("'" + link + "' is not a magnet link; expected magnet:?xt=urn:btih:<infohash>");
    }
    InfoHash hash = null;
    boolean sawV2 = false;
    String name = null;
    long length = -1;
    List<String> tr = new ArrayList<>();
    List<String> pe = new ArrayList<>();
    List<String> ws = new ArrayList<>();
    String so = null;
    String query = link.substring(8);
    for (String param : query.split("&")) {
      if (param.isEmpty()) {
        continue;
      }
      int eq = param.indexOf('=');
      if (eq <= 0) {
        throw new TorrentFormatException("magnet parameter '" + param + "' has no value; expected key=value");
      }
      String key = param.substring(0, eq);
      String value;
      try {
        value = URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new TorrentFormatException("magnet parameter '" + key + "' has a malformed %-escape: '"
            + param.substring(eq + 1) + "'", e);
      }
      // BEP 9 allows numbered keys such as xt.1 and tr.2.
      String base = key.replaceFirst("\\.\\d+$", "");
      switch (base) {
        case "xt" -> {
          if (value.regionMatches(true, 0, "urn:btih:", 0, 9)) {
            InfoHash parsed;
            try {
              parsed = InfoHash.parse(value.substring(9));
            } catch (IllegalArgumentException e) {
              throw new TorrentFormatException("magnet parameter xt: " + e.getMessage(), e);
            }
            if (hash != null && !hash.equals(parsed)) {
              throw new TorrentFormatException("magnet link names two different infohashes (" + hash + " and "
                  + parsed + "); expected one");
            }
            hash = parsed;
          } else if (value.regionMatches(true, 0, "urn:btmh:", 0, 9)) {
            sawV2 = true;
          }
        }
        case "dn" -> name = value;
        case "xl" -> {
          try {
            length = Long.parseLong(value);
          } catch (NumberFormatException e) {
            throw new TorrentFormatException("magnet parameter xl is '" + value + "'; expected a length in bytes", e);
          }
          if (length < 0) {
            throw new TorrentFormatException("magnet parameter xl is " + value + "; expected a length >= 0");
          }
        }
        case "tr" -> tr.add(value);
        case "x.pe" -> pe.add(value);
        case "ws" -> ws.add(value);
        case "so" -> so = value;
        default -> {
          // other parameters (as, xs, kt, ...) do not affect fetching
        }
      }
    }
    if (hash == null) {
      throw new TorrentFormatException("magnet link '" + link + "' has no xt=urn:btih:<infohash>"
          + (sawV2 ? " (BitTorrent v2-only urn:btmh links are not supported)" : "")
          + "; expected 40 hex digits or 32 base32 characters after urn:btih:");
    }
    return new MagnetLink(hash, name, length, tr, pe, ws, so);
  }

  /** The link in a stable form: xt (hex), dn, xl, then every tr, x.pe and ws in order, then so. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("magnet:?xt=urn:btih:").append(infoHash.hex());
    if (displayName != null) {
      s.append("&dn=").append(encode(displayName));
    }
    if (exactLength >= 0) {
      s.append("&xl=").append(exactLength);
    }
    trackers.forEach(t -> s.append("&tr=").append(encode(t)));
    peers.forEach(p -> s.append("&x.pe=").append(encode(p)));
    webSeeds.forEach(w -> s.append("&ws=").append(encode(w)));
    if (selectOnly != null) {
      s.append("&so=").append(encode(selectOnly));
    }
    return s.toString();
  }

  /** This link as a URI. */
  public URI toUri() {
    return URI.create(toString());
  }

  /** Percent-encodes everything but RFC 3986 unreserved characters. */
  private static String encode(String value) {
    StringBuilder s = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        s.append((char) c);
      } else {
        s.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return s.toString();
  }
}
