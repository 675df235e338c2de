package io.github.pierdat.backend.bittorrent.bencode;

/** Bencoded input is malformed; the message names the byte offset and what was expected there. */
public final class BencodeException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final long offset;

  public BencodeException(long offset, String problem) {
    super("malformed bencode at byte " + offset + ": " + problem);
    this.offset = offset;
  }

  /** The offset of the offending byte in the input. */
  public long offset() {
    return offset;
  }
}
