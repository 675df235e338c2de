package io.github.pierdat.backend.bittorrent.metainfo;

/** A torrent file or magnet link is not valid; the message names the field, the value and what was expected. */
public final class TorrentFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public TorrentFormatException(String message) {
    super(message);
  }

  public TorrentFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
