package io.github.pierdat.maven;

import io.github.pierdat.backend.BackendOptions;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.bittorrent.BitTorrentBackend;
import io.github.pierdat.fetch.ArtifactFetchException;
import io.github.pierdat.maven.ArtifactFetch.Fetched;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  /** The backends the last {@link #fetchArtifacts()} used. */
  private ArtifactFetch lastFetch;

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
    return ArtifactFetch.defaultCacheRoot(session.getRepositorySession().getLocalRepository().getBasedir().toPath());
  }

  /** {@code pierdat.<backend>.<name>} from the project's, then system, then user ({@code -D}) properties. */
  private Map<String, String> backendOptions() {
    return BackendOptions.fromProperties(project == null ? null : project.getProperties(),
        session.getSystemProperties(), session.getUserProperties());
  }

  /** Fetches every artifact into the cache and verifies it; the entries carry each backend's seed spec. */
  protected List<Fetched> fetchArtifacts() throws MojoExecutionException, MojoFailureException {
    List<Fetched> fetched;
    try {
      Backends backends = backends();
      ArtifactFetch fetch = ArtifactFetch.builder()
          .artifacts(artifacts)
          .backends(backends)
          .options(backendOptions())
          .cacheRoot(cacheRoot())
          .settings(session.getSettings(), settingsDecrypter)
          .connectTimeout(connectTimeout)
          .readTimeout(readTimeout)
          .retries(retries)
          .offline(session.isOffline())
          .peers(peers)
          .log(new MavenLog(getLog()))
          .build();
      fetched = fetch.fetchAll();
      lastFetch = fetch;
    } catch (InvalidConfigurationException | ArtifactFetchException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
    for (Fetched f : fetched) {
      f.entry().seed(BitTorrentBackend.NAME).map(seed -> seed.param("magnet")).ifPresent(magnet ->
          getLog().info("BitTorrent magnet of artifact " + f.entry().name() + ": " + magnet));
    }
    return fetched;
  }

  /** The seed files of the artifacts fetched last ({@link ArtifactFetch#seedFiles}): their torrents. */
  protected Map<String, byte[]> torrentFiles(List<Fetched> fetched) throws MojoExecutionException {
    try {
      return lastFetch == null ? Map.of() : lastFetch.seedFiles(fetched);
    } catch (IOException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }

}
