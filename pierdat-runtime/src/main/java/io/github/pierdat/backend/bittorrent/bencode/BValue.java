package io.github.pierdat.backend.bittorrent.bencode;

/**
 * A bencoded value (BEP 3): an integer, a byte string, a list or a dictionary. Dictionaries keep their keys
 * in raw byte order, which is also the order they are written in.
 */
public sealed interface BValue permits BInteger, BBytes, BList, BDict {

  /** This value encoded canonically. */
  default byte[] encode() {
    return BencodeWriter.encode(this);
  }

  /** A short name of this value's type for error messages. */
  String typeName();
}
