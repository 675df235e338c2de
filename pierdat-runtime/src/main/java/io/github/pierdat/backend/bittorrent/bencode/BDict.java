package io.github.pierdat.backend.bittorrent.bencode;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A bencoded dictionary, its keys sorted in raw byte order as BEP 3 requires.
 *
 * @param entries the entries
 */
public record BDict(Map<BBytes, BValue> entries) implements BValue {

  public BDict {
    entries = Collections.unmodifiableMap(new TreeMap<>(entries));
  }

  /** A fluent builder that keeps keys sorted. */
  public static Builder builder() {
    return new Builder();
  }

  /** The value under {@code key}, if present. */
  public Optional<BValue> get(String key) {
    return Optional.ofNullable(entries.get(BBytes.of(key)));
  }

  @Override
  public String typeName() {
    return "dictionary";
  }

  /** Builds a {@link BDict}; {@code null} values are skipped so optional fields read naturally. */
  public static final class Builder {
    private final TreeMap<BBytes, BValue> entries = new TreeMap<>();

    private Builder() {}

    public Builder put(String key, BValue value) {
      if (value != null) {
        entries.put(BBytes.of(key), value);
      }
      return this;
    }

    public Builder put(String key, long value) {
      return put(key, new BInteger(value));
    }

    public Builder put(String key, String value) {
      return value == null ? this : put(key, BBytes.of(value));
    }

    public Builder put(String key, byte[] value) {
      return value == null ? this : put(key, BBytes.of(value));
    }

    public BDict build() {
      return new BDict(entries);
    }
  }
}
