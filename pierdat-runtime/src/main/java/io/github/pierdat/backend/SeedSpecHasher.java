package io.github.pierdat.backend;

import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A backend's seed spec computed from an artifact's bytes while they are being fetched (see
 * {@link Backend#seedSpecHasher(long)}), so a cold fetch reads the bytes once for every backend instead of
 * once per backend afterwards. {@link #update} and {@link #finish} are called in order, from one thread; a
 * hasher may offer thread-safe methods of its own for the fetching backend (see
 * {@link FetchTarget#seedSpecHasher(String)}).
 */
public interface SeedSpecHasher {

  /** Adds the next {@code length} bytes of the artifact. */
  void update(byte[] bytes, int offset, int length) throws IOException;

  /**
   * The seed spec, once every byte was added: the same {@link Backend#seedSpec} would give for
   * {@code artifact}, whose verified bytes are now in {@code file}.
   */
  Optional<SeedEntry> finish(ArtifactEntry artifact, Path file) throws IOException;
}
