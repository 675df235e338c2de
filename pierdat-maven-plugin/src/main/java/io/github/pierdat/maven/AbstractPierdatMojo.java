package io.github.pierdat.maven;

import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.fetch.ArtifactCache;
import io.github.pierdat.fetch.ArtifactFetchException;
import io.github.pierdat.fetch.ArtifactFetcher;
import io.github.pierdat.fetch.ArtifactRequest;
import io.github.pierdat.fetch.FetchedArtifact;
import io.github.pierdat.fetch.ManifestEntries;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.peer.Peers;
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

  /**
   * Running pierdat agents to ask for each artifact before its declared sources, in order: {@code host:port},
   * {@code [ipv6]:port}, or {@code dns:name:port} for every A/AAAA record of a name (resolved when the artifact is
   * fetched, so a Kubernetes headless service or a compose service name stands for all its replicas). A peer is
   * asked at {@code http://host:port/artifacts/<sha256>}, so only artifacts with a {@code <sha256>} are fetched
   * from peers. Their bytes are verified like any source's; a peer that fails or sends other bytes is logged and
   * the next peer or source is tried. Peers get one attempt each, 3 s to connect and at most 10 s without a byte,
   * and never the credentials of the declared sources. As a property: {@code -Dpierdat.peers=a:7780,b:7780}.
   * Default: none.
   */
  @Parameter(property = "pierdat.peers")
  protected List<String> peers = new ArrayList<>();

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

  private final SettingsDecrypter settingsDecrypter;

  protected AbstractPierdatMojo(SettingsDecrypter settingsDecrypter) {
    this.settingsDecrypter = settingsDecrypter;
  }

  /** The backends on the plugin's class path (third-party backends can be added as plugin dependencies). */
  protected Backends backends() {
    return Backends.load(getClass().getClassLoader());
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
    Backends backends = backends();
    MavenSettings settings = new MavenSettings(session.getSettings(), settingsDecrypter);
    List<ArtifactRequest> requests;
    List<FetchContext> contexts = new ArrayList<>();
    Peers peerList;
    try {
      peerList = PeerDeclarations.validate(peers);
      requests = ArtifactDeclarations.validate(artifacts, backends);
      FetchContext base = FetchContext.builder()
          .connectTimeout(positiveSeconds("connectTimeout", connectTimeout))
          .readTimeout(positiveSeconds("readTimeout", readTimeout))
          .maxAttempts(positive("retries", retries))
          .proxySelector(settings.proxySelector())
          .proxyCredentials(settings.proxyCredentials().orElse(null))
          .offline(session.isOffline())
          .log(new MavenFetchLog(getLog()))
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
    ArtifactFetcher fetcher = new ArtifactFetcher(cache, backends, peerList);
    if (!peerList.isEmpty()) {
      getLog().info("Peers, asked before the declared sources: " + peerList);
    }
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
    return fetched;
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
