package io.github.pierdat.cli;

import io.github.pierdat.agent.settings.EnvOverrides;
import io.github.pierdat.agent.settings.SettingsException;
import io.github.pierdat.backend.BackendOptions;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.fetch.ArtifactCache;
import io.github.pierdat.fetch.ArtifactFetchException;
import io.github.pierdat.fetch.ArtifactFetcher;
import io.github.pierdat.fetch.ArtifactRequest;
import io.github.pierdat.fetch.FetchedArtifact;
import io.github.pierdat.fetch.ManifestEntries;
import io.github.pierdat.fetch.UnpinnedArtifactException;
import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.ImagePaths;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import io.github.pierdat.manifest.PierDatException;
import io.github.pierdat.manifest.Sources;
import io.github.pierdat.peer.Peers;
import io.github.pierdat.progress.Units;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pierdat get [options] SRC... DEST}: the Dockerfile form of the plugin's fetch. Fetches the
 * artifact from the first peer or source that delivers (through the same backends and cache as the
 * plugin), verifies its sha256, writes DEST atomically (read-only, 0444; a hard link to the cache entry when
 * they share a file system, unless {@code --copy}) and records the artifact in
 * pier.dat ({@code $PIERDAT_CONFIG}, default {@code /etc/pier.dat}), created with default settings when
 * absent. On any failure neither DEST nor pier.dat changes.
 *
 * <p>Exit codes: 0 done; 1 the artifact could not be fetched, verified or written; 2 a bad argument,
 * variable or pier.dat.
 */
final class GetCommand {

  static final int EXIT_FAILED = 1;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;

  GetCommand(Map<String, String> env, PrintStream out, PrintStream err, boolean interactive) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.interactive = interactive;
  }

  int run(List<String> args) {
    if (GetOptions.wantsHelp(args)) {
      out.print(usage());
      return 0;
    }
    GetOptions options;
    Path config;
    Path dest;
    List<URI> sources;
    try {
      options = GetOptions.parse(args);
      config = EnvOverrides.parse(env).config().toAbsolutePath().normalize();
      dest = destination(options.dest(), config);
      sources = sources(options.sources());
    } catch (UsageException | SettingsException e) {
      return usageError(e.getMessage());
    }
    StderrLog log = new StderrLog(err, interactive, options.verbose());
    PierDat existing;
    try {
      existing = Files.exists(config) ? PierDatCodec.read(config) : PierDat.of(AppCommand.none(), List.of());
    } catch (PierDatException e) {
      return fail(e.getMessage() + " (pierdat get adds to this file; fix or remove it, or set PIERDAT_CONFIG)",
          Main.EXIT_USAGE);
    }
    try (CacheLocation cache = CacheLocation.choose(options, env, log)) {
      return get(options, sources, dest, config, existing, cache, log);
    } catch (UsageException e) {
      return usageError(e.getMessage());
    } catch (IOException e) {
      return fail("cannot make a temporary cache: " + e.getMessage(), EXIT_FAILED);
    }
  }

  private int get(GetOptions options, List<URI> sources, Path dest, Path config, PierDat existing,
      CacheLocation cache, StderrLog log) {
    String name = options.name() != null ? options.name() : dest.getFileName().toString();
    FetchContext context = FetchContext.builder()
        .connectTimeout(options.connectTimeout())
        .readTimeout(options.readTimeout())
        .maxAttempts(options.attempts())
        .offline(options.offline())
        .options(BackendOptions.fromProperties(System.getProperties()))
        .log(log)
        .build();
    // One set of backends for fetching and for the seed specs: a script backend remembers what it fetched.
    Backends backends = Backends.load();
    for (URI source : sources) {
      Optional<String> problem = backends.forSource(source).flatMap(backend -> backend.problem(source));
      if (problem.isPresent()) {
        return usageError(problem.get());
      }
    }
    ArtifactCache artifacts = ArtifactCache.at(cache.root());
    FetchedArtifact fetched;
    try {
      fetched = new ArtifactFetcher(artifacts, backends, Peers.of(options.peers()))
          .fetch(new ArtifactRequest(name, dest.toString(), options.sha256(), sources), context);
    } catch (UnpinnedArtifactException e) {
      out.println(e.sha256());
      return fail(name + ": no --sha256 given; the bytes from " + e.source() + " have sha256 " + e.sha256()
          + ". After checking them, run again with --sha256 " + e.sha256() + " (nothing was written)", EXIT_FAILED);
    } catch (ArtifactFetchException e) {
      return fail(e.getMessage() + System.lineSeparator()
          + "(nothing was written to " + dest + " or " + config + ")", EXIT_FAILED);
    }
    // pier.dat records the declared sources only: peers are this build's shortcut, not the artifact's origin.
    // The seed specs computed while downloading (torrent, CID) are in the cache; a cache hit reuses earlier ones.
    ArtifactEntry entry;
    try {
      entry = ManifestEntries.entry(fetched, backends, artifacts);
    } catch (IOException | RuntimeException e) {
      return fail(name + ": cannot compute the seed entries: " + e.getMessage() + " (nothing was written)",
          EXIT_FAILED);
    }
    // A temporary cache is deleted afterwards: its verified file can become DEST without a copy. A file in a
    // persistent cache becomes DEST by a hard link unless --copy; either way, one not hashed by this fetch is
    // hashed before it is placed.
    boolean hash = !fetched.hashed();
    try (Destination placed = cache.temporary()
        ? Destination.move(fetched.file(), fetched.sha256(), dest, hash)
        : Destination.place(fetched.file(), fetched.sha256(), dest, hash, !options.copy())) {
      try {
        PierDatCodec.write(existing.withArtifact(entry), config);
      } catch (IOException e) {
        boolean restored = placed.rollBack();
        return fail("cannot write " + config + ": " + describe(e) + (restored
            ? " (" + dest + " was left as it was)"
            : " (" + dest + " now holds the new bytes: the old file could not be kept to put back)"), EXIT_FAILED);
      }
      placed.commit();
    } catch (IOException e) {
      return fail("cannot write " + dest + ": " + describe(e) + " (nothing was written)", EXIT_FAILED);
    }
    log.info("[pierdat] " + name + ": " + dest + " (" + Units.bytes(fetched.size()) + ", sha256 "
        + fetched.sha256() + ") recorded in " + config + " with seeds: "
        + String.join(", ", entry.seeds().stream().map(s -> s.backend()).toList()));
    return 0;
  }

  /** DEST as an absolute, normalized path that may hold an artifact. */
  static Path destination(String value, Path config) throws UsageException {
    if (!value.startsWith("/")) {
      throw new UsageException("DEST '" + value + "' is not absolute: pier.dat records it as the file's path in "
          + "the image, so write it from the root, e.g. /data/" + lastSegment(value));
    }
    Optional<String> problem = ImagePaths.problem(value);
    if (problem.isPresent()) {
      throw new UsageException("DEST '" + value + "' " + problem.get());
    }
    Path dest;
    try {
      dest = Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageException("DEST '" + value + "' is not a valid path: " + e.getMessage());
    }
    if (Files.isDirectory(dest)) {
      throw new UsageException("DEST '" + value + "' is a directory; give the path of the file to write, e.g. "
          + value + "/" + "model.bin");
    }
    for (Path up = dest.getParent(); up != null; up = up.getParent()) {
      if (Files.exists(up) && !Files.isDirectory(up)) {
        throw new UsageException("DEST '" + value + "' cannot be created: " + up + " is a file, not a directory");
      }
    }
    if (dest.equals(config)) {
      throw new UsageException("DEST '" + value + "' is pier.dat itself (PIERDAT_CONFIG); choose another path");
    }
    return dest;
  }

  private static String lastSegment(String value) {
    String name = value.substring(value.lastIndexOf('/') + 1);
    return name.isEmpty() ? "model.bin" : name;
  }

  private static List<URI> sources(List<String> values) throws UsageException {
    List<URI> sources = new ArrayList<>();
    for (String value : values) {
      URI uri;
      try {
        uri = new URI(value);
      } catch (URISyntaxException e) {
        throw new UsageException("SRC '" + Sources.redact(value) + "' is not a URI: " + e.getReason()
            + " at index " + e.getIndex() + "; expected e.g. https://host/path or file:/abs/path");
      }
      if (uri.getScheme() == null) {
        throw new UsageException("SRC '" + Sources.redact(value) + "' has no scheme; expected a URI such as "
            + "https://host/path or file:" + (value.startsWith("/") ? value : "/abs/path"));
      }
      sources.add(uri);
    }
    return sources;
  }

  private int usageError(String message) {
    err.println("pierdat: " + message);
    err.println("(see pierdat get --help)");
    return Main.EXIT_USAGE;
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
  }

  private int fail(String message, int code) {
    err.println("pierdat: " + message);
    return code;
  }

  static String usage() {
    return """
        usage: pierdat get [OPTIONS] SRC... DEST

          Fetch the first SRC that works (peers first), verify its sha256, write DEST atomically and
          read-only (0444), and record it in pier.dat ($PIERDAT_CONFIG, default /etc/pier.dat) so the
          agent seeds it at run time. DEST must be absolute. On failure nothing is written.

          SRC      http(s)://..., file:/abs/path, or any URI a script backend accepts
                   (pierdat-check-<name> / pierdat-get-<name> on the PATH)

        options:
          --sha256 HEX           the expected sha256 (required to write; without it the sha256 of what
                                 was fetched is printed, with the flag to add)
          --name NAME            the artifact's name in logs and pier.dat (default: DEST's file name)
          --peer HOST:PORT       a pierdat agent to ask first (also [v6]:port, dns:name:port for every
                                 address of a name; repeatable, comma-separated); needs --sha256. Each
                                 peer gets one attempt, 3 s to connect and 10 s without a byte
          --cache DIR            the artifact cache (default $PIERDAT_CACHE, else ~/.cache/pierdat; a
                                 temporary one if that cannot be written)
          --no-cache             use a temporary cache, deleted afterwards (keeps image layers small)
          --copy                 write DEST as a private copy; by default DEST is a hard link to the
                                 cache entry (read-only, shared) when both are on one file system
          -o, --offline          use the cache only, no network
          --retries N            attempts per source (default 4)
          --connect-timeout S    seconds to wait for a connection (default 20)
          --read-timeout S       seconds a transfer may stall, or a get script stay silent (default 60)
          -v, --verbose          also print debug messages
          -h, --help             this help

        exit codes: 0 done; 1 not fetched, verified or written; 2 bad arguments, variable or pier.dat
        """;
  }
}
