package io.github.pierdat.maven;

import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.fetch.ArtifactCache;
import io.github.pierdat.fetch.ArtifactFetchException;
import io.github.pierdat.fetch.ArtifactFetcher;
import io.github.pierdat.fetch.ArtifactRequest;
import io.github.pierdat.fetch.FetchedArtifact;
import io.github.pierdat.fetch.ManifestEntries;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.peer.Peers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Fetches a build's declared artifacts into the shared cache and verifies them: validation of the
 * declarations, settings.xml credentials and proxy, timeouts and retries, and the summary line. The
 * pierdat goals and the Jib plugin extension both fetch through it, so they print and fail alike.
 *
 * <pre>{@code
 * List<ArtifactFetch.Fetched> fetched = ArtifactFetch.builder()
 *     .artifacts(configs).cacheRoot(cache).settings(settings, decrypter).log(log)
 *     .build().fetchAll();
 * }</pre>
 */
public final class ArtifactFetch {

  private final Builder settings;

  private ArtifactFetch(Builder settings) {
    this.settings = settings;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Fetches every artifact (in declaration order) into the cache and verifies it.
   *
   * @return each artifact with its pier.dat entry, which carries every seeding backend's seed spec
   * @throws InvalidConfigurationException listing every problem of the declarations or settings
   * @throws ArtifactFetchException when an artifact cannot be fetched from any source
   * @throws IOException when a seed spec cannot be recorded
   */
  public List<Fetched> fetchAll() throws InvalidConfigurationException, ArtifactFetchException, IOException {
    Backends backends = settings.backends;
    List<ArtifactConfig> artifacts = settings.artifacts;
    MavenSettings maven = new MavenSettings(settings.mavenSettings, settings.decrypter);
    Peers peers = PeerDeclarations.validate(settings.peers);
    List<ArtifactRequest> requests = ArtifactDeclarations.validate(artifacts, backends);
    FetchContext base = FetchContext.builder()
        .connectTimeout(Duration.ofSeconds(positive("connectTimeout", settings.connectTimeout)))
        .readTimeout(Duration.ofSeconds(positive("readTimeout", settings.readTimeout)))
        .maxAttempts(positive("retries", settings.retries))
        .proxySelector(maven.proxySelector())
        .proxyCredentials(maven.proxyCredentials().orElse(null))
        .offline(settings.offline)
        .options(settings.options)
        .log(settings.log)
        .build();
    List<FetchContext> contexts = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      String serverId = artifacts.get(i).getServerId();
      contexts.add(serverId == null || serverId.isBlank()
          ? base
          : base.toBuilder()
              .credentials(maven.credentials(serverId.trim(), "artifact '" + requests.get(i).name() + "'"))
              .build());
    }

    ArtifactCache cache = ArtifactCache.at(settings.cacheRoot);
    ArtifactFetcher fetcher = new ArtifactFetcher(cache, backends, peers);
    if (!peers.isEmpty()) {
      settings.log.info("Peers, asked before the declared sources: " + peers);
    }
    List<Fetched> fetched = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < requests.size(); i++) {
      FetchedArtifact artifact = fetcher.fetch(requests.get(i), contexts.get(i));
      try {
        fetched.add(new Fetched(artifact, ManifestEntries.entry(artifact, backends, cache)));
      } catch (IOException e) {
        throw new IOException("cannot record seed specs for artifact '" + requests.get(i).name() + "': "
            + e.getMessage(), e);
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    long bytes = fetched.stream().mapToLong(f -> f.artifact().size()).sum();
    long cached = fetched.stream().filter(f -> f.artifact().fromCache()).count();
    settings.log.info(String.format("%d artifact(s), %s, verified in %.1f s (%d from cache)",
        fetched.size(), Sizes.human(bytes), elapsed.toMillis() / 1000.0, cached));
    return fetched;
  }

  private static int positive(String name, int value) throws InvalidConfigurationException {
    if (value < 1) {
      throw new InvalidConfigurationException(List.of("<" + name + "> (pierdat." + name + ") is " + value
          + "; expected a whole number of at least 1"));
    }
    return value;
  }

  /** The cache directory used when none is configured: {@code .cache/pierdat} in the local repository. */
  public static Path defaultCacheRoot(Path localRepository) {
    return localRepository.resolve(".cache").resolve("pierdat").toAbsolutePath();
  }

  /**
   * A fetched artifact with its pier.dat entry.
   *
   * @param artifact the verified file in the cache
   * @param entry its pier.dat entry, with the seed spec of every seeding backend
   */
  public record Fetched(FetchedArtifact artifact, ArtifactEntry entry) {}

  /** Collects what a fetch needs; defaults match the pierdat goals' parameter defaults. */
  public static final class Builder {
    private List<ArtifactConfig> artifacts = List.of();
    private Backends backends;
    private Path cacheRoot;
    private Settings mavenSettings;
    private SettingsDecrypter decrypter;
    private int connectTimeout = 20;
    private int readTimeout = 60;
    private int retries = 4;
    private boolean offline;
    private List<String> peers = List.of();
    private Map<String, String> options = Map.of();
    private FetchLog log = FetchLog.silent();

    private Builder() {}

    /** The declared artifacts, in order. */
    public Builder artifacts(List<ArtifactConfig> artifacts) {
      this.artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
      return this;
    }

    /** The backends to fetch with (default: those on this class's class loader). */
    public Builder backends(Backends backends) {
      this.backends = backends;
      return this;
    }

    /** The content-addressed cache directory. Required. */
    public Builder cacheRoot(Path cacheRoot) {
      this.cacheRoot = cacheRoot;
      return this;
    }

    /** settings.xml (servers, proxies) and the decrypter for its passwords. */
    public Builder settings(Settings mavenSettings, SettingsDecrypter decrypter) {
      this.mavenSettings = mavenSettings;
      this.decrypter = decrypter;
      return this;
    }

    /** Seconds to wait for a connection (default 20). */
    public Builder connectTimeout(int seconds) {
      this.connectTimeout = seconds;
      return this;
    }

    /** Seconds without a byte before a retry (default 60). */
    public Builder readTimeout(int seconds) {
      this.readTimeout = seconds;
      return this;
    }

    /** Attempts per source (default 4). */
    public Builder retries(int retries) {
      this.retries = retries;
      return this;
    }

    /**
     * Other pierdat agents to ask before the declared sources: {@code host:port}, {@code [v6]:port} or
     * {@code dns:name:port} (every address of the name), as the goals' {@code <peers>} (default none).
     */
    public Builder peers(List<String> entries) {
      this.peers = entries == null ? List.of() : List.copyOf(entries);
      return this;
    }

    /**
     * Backend-specific settings such as {@code ipfs.gateways} (see
     * {@link io.github.pierdat.backend.BackendOptions}; default none).
     */
    public Builder options(Map<String, String> options) {
      this.options = options == null ? Map.of() : Map.copyOf(options);
      return this;
    }

    /** Only the cache, no network (Maven's {@code -o}). */
    public Builder offline(boolean offline) {
      this.offline = offline;
      return this;
    }

    /** Where progress and the summary go. */
    public Builder log(FetchLog log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /** The fetch. */
    public ArtifactFetch build() {
      Objects.requireNonNull(cacheRoot, "cacheRoot");
      if (backends == null) {
        backends = Backends.load(ArtifactFetch.class.getClassLoader());
      }
      return new ArtifactFetch(this);
    }
  }
}
