package io.github.pierdat.backend;

import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A way to fetch artifacts at build time and seed them at run time: the typed form of the original
 * {@code check → get → seed} contract. Implementations are found with {@link java.util.ServiceLoader}
 * (see {@link Backends}), so a third-party jar can add one. Nothing a backend produces is ever executed.
 */
public interface Backend {

  /** A short, stable name used in pier.dat and logs, e.g. {@code http}. */
  String name();

  /** The URI schemes this backend handles, for error messages that list what is supported. */
  Set<String> schemes();

  /**
   * True if fetching needs the network. Offline builds ({@code mvn -o}) still use backends that do not,
   * such as {@code file:}.
   */
  default boolean usesNetwork() {
    return true;
  }

  /** The old {@code check}: can this backend fetch {@code source} here and now? */
  boolean accepts(URI source);

  /**
   * What is wrong with {@code source} as written (for example a malformed CID), found without fetching
   * anything; empty when this backend can try it. Declared sources are checked with it before any fetch, so
   * a bad source fails the build even when another source would deliver the bytes.
   *
   * @return a message that names the source and says what is wrong and what was expected
   */
  default Optional<String> problem(URI source) {
    return Optional.empty();
  }

  /**
   * The old {@code get}: write the bytes of {@code source} into {@code target}. The caller verifies the
   * sha256; a backend that can resume continues from {@link FetchTarget#position()}.
   *
   * @throws FetchException when this source cannot deliver (the message says why, without credentials)
   */
  void fetch(URI source, FetchTarget target, FetchContext context) throws FetchException, IOException;

  /**
   * What besides the artifact itself this backend's {@link #seedSpec} depends on (e.g. configured trackers),
   * so a remembered spec is only reused while it would come out the same.
   */
  default String seedSpecKey() {
    return "";
  }

  /**
   * What the agent needs to seed {@code artifact} (whose verified bytes are in {@code file}) with this
   * backend later, or empty when this backend does not seed. Called for every artifact, whatever its source.
   */
  default Optional<SeedEntry> seedSpec(ArtifactEntry artifact, Path file) throws IOException {
    return Optional.empty();
  }

  /**
   * Starts computing {@link #seedSpec} from the bytes of an artifact of {@code size} bytes as they are
   * fetched, or empty when this backend computes its spec only from the finished file (the default). The
   * result must equal what {@link #seedSpec} gives for the same bytes.
   */
  default Optional<SeedSpecHasher> seedSpecHasher(long size) {
    return Optional.empty();
  }

  /**
   * The old {@code seed}: one seeder for all {@code artifacts} that have a seed entry of this backend
   * (one server or runtime per backend, however many artifacts), or empty when this backend does not
   * seed. Called by the agent at run time; the agent's watchdog starts, watches and restarts it.
   *
   * @param artifacts the artifacts to seed, present and checked, each with this backend's seed entry
   * @param context the effective settings, the shared upload limiter and metrics
   */
  default Optional<Seeder> seeder(List<SeededArtifact> artifacts, SeedContext context) {
    return Optional.empty();
  }
}
