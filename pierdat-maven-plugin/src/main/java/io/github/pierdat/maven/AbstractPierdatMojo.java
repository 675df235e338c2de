package io.github.pierdat.maven;

import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.bittorrent.BitTorrentBackend;
import io.github.pierdat.backend.bittorrent.TorrentStore;
import io.github.pierdat.fetch.ArtifactCache;
import io.github.pierdat.fetch.ArtifactFetchException;
import io.github.pierdat.fetch.ArtifactFetcher;
import io.github.pierdat.fetch.ArtifactRequest;
import io.github.pierdat.fetch.FetchedArtifact;
import io.github.pierdat.fetch.ManifestEntries;
import io.github.pierdat.manifest.ArtifactEntry;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/** What every pierdat goal shares: the artifacts, the cache, and fetching them all verified. */
abstract class AbstractPierdatMojo extends AbstractMojo {

  /** The data artifacts to bake: each with an absolute {@code <path>}, a {@code <sha256>} and {@code <sources>}. */
  @Parameter
  protected List<ArtifactConfig> artifacts = new ArrayList<>();

  /**
   * BitTorrent trackers ({@code http://}, {@code https://} or {@code udp://} announce URLs): the announce
   * list of every artifact's torrent and the {@code tr=} of its magnet link. None by default (peers then
   * come from static and {@code dns:} peers).
   */
  @Parameter
  protected List<String> trackers = new ArrayList<>();

  /** More trackers, comma separated; added to {@code <trackers>}. */
  @Parameter(property = "pierdat.trackers")
  protected String trackerList;

  /** Skips every pierdat goal. */
  @Parameter(property = "pierdat.skip", defaultValue = "false")
  protected boolean skip;

  /**
   * The content-addressed artifact cache, shared by all projects of this machine. Defaults to {@code
   * .cache/pierdat} inside the local Maven repository.
   */
  @Parameter(property = "pierdat.cacheDirectory")
  protected File cacheDirectory;

  /** Where pier.dat and other outputs are written. */
  @Parameter(property = "pierdat.outputDirectory", defaultValue = "${project.build.directory}/pierdat")
  protected File outputDirectory;

  /** Seconds to wait for a connection to a source. */
  @Parameter(property = "pierdat.connectTimeout", defaultValue = "20")
  protected int connectTimeout;

  /** Seconds a download may go without receiving a byte before it is retried. */
  @Parameter(property = "pierdat.readTimeout", defaultValue = "60")
  protected int readTimeout;

  /** Attempts per source for failures worth retrying (HTTP 5xx, dropped connections); each resumes. */
  @Parameter(property = "pierdat.retries", defaultValue = "4")
  protected int retries;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

  private final SettingsDecrypter settingsDecrypter;
  /** The backends the last {@link #fetchArtifacts()} used. */
  private Backends lastBackends;

  protected AbstractPierdatMojo(SettingsDecrypter settingsDecrypter) {
    this.settingsDecrypter = settingsDecrypter;
  }

  /**
   * The backends on the plugin's class path (third-party backends can be added as plugin dependencies),
   * the BitTorrent one announcing to the configured trackers.
   */
  protected Backends backends() throws InvalidConfigurationException {
    Backends loaded = Backends.load(getClass().getClassLoader());
    List<String> urls = TrackerUrls.of(trackers, trackerList);
    return loaded.named(BitTorrentBackend.NAME)
        .filter(BitTorrentBackend.class::isInstance)
        .map(b -> loaded.with(((BitTorrentBackend) b).withTrackers(urls)))
        .orElse(loaded);
  }

  /** The cache directory in effect. */
  protected Path cacheRoot() {
    if (cacheDirectory != null) {
      return cacheDirectory.toPath().toAbsolutePath();
    }
    File localRepository = session.getRepositorySession().getLocalRepository().getBasedir();
    return localRepository.toPath().resolve(".cache").resolve("pierdat").toAbsolutePath();
  }

  /** Fetches every artifact into the cache and verifies it; the entries carry each backend's seed spec. */
  protected List<Fetched> fetchArtifacts() throws MojoExecutionException, MojoFailureException {
    MavenSettings settings = new MavenSettings(session.getSettings(), settingsDecrypter);
    List<ArtifactRequest> requests;
    List<FetchContext> contexts = new ArrayList<>();
    Backends backends;
    try {
      backends = backends();
      requests = ArtifactDeclarations.validate(artifacts, backends);
      FetchContext base = FetchContext.builder()
          .connectTimeout(positiveSeconds("connectTimeout", connectTimeout))
          .readTimeout(positiveSeconds("readTimeout", readTimeout))
          .maxAttempts(positive("retries", retries))
          .proxySelector(settings.proxySelector())
          .proxyCredentials(settings.proxyCredentials().orElse(null))
          .offline(session.isOffline())
          .log(new MavenFetchLog(getLog()))
          .options(backendOptions(backends))
          .build();
      for (int i = 0; i < requests.size(); i++) {
        String serverId = artifacts.get(i).getServerId();
        contexts.add(serverId == null || serverId.isBlank()
            ? base
            : base.toBuilder()
                .credentials(settings.credentials(serverId.trim(), "artifact '" + requests.get(i).name() + "'"))
                .build());
      }
    } catch (InvalidConfigurationException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }

    ArtifactCache cache = ArtifactCache.at(cacheRoot());
    ArtifactFetcher fetcher = new ArtifactFetcher(cache, backends);
    List<Fetched> fetched = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < requests.size(); i++) {
      try {
        FetchedArtifact artifact = fetcher.fetch(requests.get(i), contexts.get(i));
        fetched.add(new Fetched(artifact, ManifestEntries.entry(artifact, backends, cache)));
      } catch (ArtifactFetchException e) {
        throw new MojoFailureException(e.getMessage(), e);
      } catch (java.io.IOException e) {
        throw new MojoExecutionException("cannot record seed specs for artifact '"
            + requests.get(i).name() + "': " + e.getMessage(), e);
      }
    }
    logSummary(fetched, Duration.ofNanos(System.nanoTime() - started));
    for (Fetched f : fetched) {
      f.entry().seed(BitTorrentBackend.NAME).map(seed -> seed.param("magnet")).ifPresent(magnet ->
          getLog().info("BitTorrent magnet of artifact " + f.entry().name() + ": " + magnet));
    }
    lastBackends = backends;
    return fetched;
  }

  /**
   * The deterministic torrent of every fetched artifact that has a BitTorrent seed entry, by its path in
   * the image ({@code /opt/pierdat/torrents/<infohash>.torrent}). Torrents are kept in the cache, so a
   * rebuild does not hash the artifacts again.
   */
  protected java.util.Map<String, byte[]> torrentFiles(List<Fetched> fetched) throws MojoExecutionException {
    java.util.Map<String, byte[]> files = new java.util.TreeMap<>();
    java.util.Optional<BitTorrentBackend> backend = lastBackends == null ? java.util.Optional.empty()
        : lastBackends.named(BitTorrentBackend.NAME).filter(BitTorrentBackend.class::isInstance)
            .map(BitTorrentBackend.class::cast);
    if (backend.isEmpty()) {
      return files;
    }
    TorrentStore store = new TorrentStore(cacheRoot().resolve("torrents"), backend.get());
    for (Fetched f : fetched) {
      try {
        java.util.Optional<byte[]> torrent = store.torrent(f.entry(), f.artifact().file());
        if (torrent.isPresent()) {
          files.put(f.entry().seed(BitTorrentBackend.NAME).orElseThrow().param("torrent"), torrent.get());
        }
      } catch (java.io.IOException e) {
        throw new MojoExecutionException("cannot make the torrent of artifact '" + f.entry().name() + "': "
            + e.getMessage(), e);
      }
    }
    return files;
  }

  /**
   * Backend options from {@code -Dpierdat.<backend>.<name>=value} (user properties, over project
   * properties), e.g. {@code -Dpierdat.bittorrent.stallTimeout=10}: keyed {@code <backend>.<name>}.
   */
  private java.util.Map<String, String> backendOptions(Backends backends) {
    java.util.Set<String> names = new java.util.HashSet<>();
    backends.all().forEach(b -> names.add(b.name()));
    java.util.Map<String, String> options = new java.util.TreeMap<>();
    java.util.List<java.util.Properties> sources = new ArrayList<>();
    if (project != null && project.getProperties() != null) {
      sources.add(project.getProperties());
    }
    if (session != null && session.getUserProperties() != null) {
      sources.add(session.getUserProperties());
    }
    for (java.util.Properties properties : sources) {
      for (String key : properties.stringPropertyNames()) {
        int dot = key.indexOf('.', "pierdat.".length());
        if (key.startsWith("pierdat.") && dot > 0 && names.contains(key.substring("pierdat.".length(), dot))) {
          options.put(key.substring("pierdat.".length()), properties.getProperty(key));
        }
      }
    }
    return options;
  }

  private void logSummary(List<Fetched> fetched, Duration elapsed) {
    long bytes = fetched.stream().mapToLong(f -> f.artifact().size()).sum();
    long cached = fetched.stream().filter(f -> f.artifact().fromCache()).count();
    getLog().info(String.format("%d artifact(s), %s, verified in %.1f s (%d from cache)",
        fetched.size(), Sizes.human(bytes), elapsed.toMillis() / 1000.0, cached));
  }

  private static Duration positiveSeconds(String name, int value) throws InvalidConfigurationException {
    return Duration.ofSeconds(positive(name, value));
  }

  private static int positive(String name, int value) throws InvalidConfigurationException {
    if (value < 1) {
      throw new InvalidConfigurationException(List.of("<" + name + "> (pierdat." + name + ") is " + value
          + "; expected a whole number of at least 1"));
    }
    return value;
  }

  /**
   * A fetched artifact with its pier.dat entry.
   *
   * @param artifact the verified file in the cache
   * @param entry its pier.dat entry, with the seed spec of every seeding backend
   */
  protected record Fetched(FetchedArtifact artifact, ArtifactEntry entry) {}
}
