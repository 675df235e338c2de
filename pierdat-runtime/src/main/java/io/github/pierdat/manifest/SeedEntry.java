package io.github.pierdat.manifest;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one backend needs to seed one artifact at run time, e.g. {@code {"backend":"http",
 * "params":{"path":"/artifacts/<sha256>"}}} or an infohash for BitTorrent.
 *
 * @param backend the backend's name
 * @param params backend-specific values, sorted by key so the file is stable
 */
public record SeedEntry(String backend, Map<String, String> params) {

  public SeedEntry {
    Objects.requireNonNull(backend, "backend");
    params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(params));
  }

  /** The value of one parameter, or null. */
  public String param(String key) {
    return params.get(key);
  }
}
