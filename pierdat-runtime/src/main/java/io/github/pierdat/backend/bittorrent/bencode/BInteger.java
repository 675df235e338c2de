package io.github.pierdat.backend.bittorrent.bencode;

/**
 * A bencoded integer. Values beyond a signed 64-bit long are refused by the reader.
 *
 * @param value the value
 */
public record BInteger(long value) implements BValue {

  @Override
  public String typeName() {
    return "integer";
  }
}
