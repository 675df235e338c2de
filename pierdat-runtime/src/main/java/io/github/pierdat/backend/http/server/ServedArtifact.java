package io.github.pierdat.backend.http.server;

import io.github.pierdat.manifest.ArtifactEntry;
import java.nio.file.Path;

/**
 * An artifact as the HTTP seeder serves it.
 *
 * @param entry the pier.dat entry
 * @param file the file holding its bytes
 * @param url the path it is served at besides its image path, e.g. {@code /artifacts/<sha256>}
 */
record ServedArtifact(ArtifactEntry entry, Path file, String url) {

  /** The strong entity tag: the quoted sha256, the same in every container with these bytes. */
  String etag() {
    return "\"" + entry.sha256() + "\"";
  }
}
