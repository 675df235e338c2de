package io.github.pierdat.backend.bittorrent.bencode;

import java.util.List;

/**
 * A bencoded list.
 *
 * @param values the elements, in order
 */
public record BList(List<BValue> values) implements BValue {

  public BList {
    values = List.copyOf(values);
  }

  public static BList of(BValue... values) {
    return new BList(List.of(values));
  }

  @Override
  public String typeName() {
    return "list";
  }
}
