package io.github.pierdat.fetch;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.hash.Sha256;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.ImagePaths;
import io.github.pierdat.manifest.SeedEntry;
import io.github.pierdat.manifest.Sources;
import io.github.pierdat.peer.PeerSource;
import io.github.pierdat.peer.Peers;
import io.github.pierdat.progress.Units;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Fetches artifacts into an {@link ArtifactCache}: from the cache when it has them (no network; no hashing
 * unless the cached file has other hard links, see {@link ArtifactCache}), else from their sources in order, hashing while downloading, resuming interrupted downloads,
 * and moving verified bytes into the cache atomically. Safe to use from several threads and processes
 * on the same cache: one of them downloads, the others wait and then find the file in the cache.
 *
 * <p>With {@link Peers}, an artifact whose sha256 is pinned is first asked of each peer (under {@link
 * Peers#peerContext(FetchContext)}: short timeouts, one attempt, no credentials), then of its declared sources.
 */
public final class ArtifactFetcher {

  private static final String PREFIX = "[pierdat] ";

  private final ArtifactCache cache;
  private final Backends backends;
  private final Peers peers;

  /**
   * A fetcher without peers.
   *
   * @param cache where verified artifacts and interrupted downloads are kept
   * @param backends the backends that may fetch sources
   */
  public ArtifactFetcher(ArtifactCache cache, Backends backends) {
    this(cache, backends, Peers.none());
  }

  /**
   * @param cache where verified artifacts and interrupted downloads are kept
   * @param backends the backends that may fetch sources
   * @param peers asked before the declared sources of every pinned artifact that is not in the cache
   */
  public ArtifactFetcher(ArtifactCache cache, Backends backends, Peers peers) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.backends = Objects.requireNonNull(backends, "backends");
    this.peers = Objects.requireNonNull(peers, "peers");
  }

  /**
   * Returns the verified artifact, fetching it first unless the cache has it.
   *
   * @throws ArtifactFetchException when the request is invalid, when offline and the cache does not have
   *     it, when no source delivered the expected bytes (the message lists each source and why), or when
   *     the request has no sha256 (the message gives the sha256 of the bytes fetched, which are cached)
   */
  public FetchedArtifact fetch(ArtifactRequest request, FetchContext context) throws ArtifactFetchException {
    long start = System.nanoTime();
    validate(request);
    FetchLog log = context.log();
    if (request.sha256() == null) {
      return fetchUnpinned(request, context, start);
    }
    String sha256 = Sha256.normalize(request.sha256());
    Optional<FetchedArtifact> cached = fromCache(request, sha256, start, "", log, false);
    if (cached.isPresent()) {
      return cached.get();
    }
    if (context.offline() && request.sources().stream().noneMatch(this::isLocal)) {
      throw new ArtifactFetchException("artifact " + request.name() + " (sha256 " + sha256
          + ") is not in the cache at " + cache.root() + "; run once without -o/offline to fetch it",
          List.of());
    }
    requireSources(request);
    try (CacheLock lock = cache.lock(sha256, request.name(), log)) {
      // Another thread or process may have fetched it while this one waited for the lock.
      cached = fromCache(request, sha256, start, " (fetched by another build)", log, true);
      if (cached.isPresent()) {
        return cached.get();
      }
      return download(request, sha256, context, start);
    } catch (IOException e) {
      throw localFailure(request, e);
    }
  }

  private FetchedArtifact download(ArtifactRequest request, String sha256, FetchContext context, long start)
      throws ArtifactFetchException, IOException {
    List<SourceFailure> failures = new ArrayList<>();
    try (HashingFileTarget target = HashingFileTarget.open(cache.partialFile(sha256), request.name(),
        context.log()).imagePath(request.path()).seedSpecsFor(backends.all())) {
      if (target.position() > 0 && target.currentHash().equals(sha256)) {
        // An earlier process was stopped after the last byte but before the rename.
        long size = target.position();
        target.finishHash();
        target.seal();
        Path file = cache.commit(target.file(), sha256);
        context.log().info(PREFIX + request.name() + ": " + Units.bytes(size) + " from cache sha256 " + sha256
            + " (completed by an interrupted fetch)");
        return new FetchedArtifact(request, file, sha256, size, "cache", true,
            Duration.ofNanos(System.nanoTime() - start), 0, failures);
      }
      for (Candidate candidate : candidates(request, sha256, context)) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException();
        }
        URI source = candidate.uri();
        String shown = candidate.shown();
        Optional<Backend> backend = backendFor(source, shown, request, failures, context);
        if (backend.isEmpty()) {
          continue;
        }
        boolean restarted = false;
        while (true) {
          Optional<String> failure = attempt(backend.get(), source, shown, target,
              withOtherSources(candidate.context(), request, source));
          if (failure.isEmpty()) {
            String actual = target.finishHash();
            if (actual.equals(sha256)) {
              long size = target.position();
              target.seal();
              Optional<SeedSpecPass> pass = target.seedSpecPass();
              if (pass.isPresent()) {
                awaitRead(pass.get());
              }
              Path file = cache.commit(target.file(), sha256);
              pass.ifPresent(p -> rememberSeedSpecs(p, request, file, sha256, size, context.log()));
              return delivered(request, file, sha256, size, shown, start, target.received(), failures, context);
            }
            boolean resumed = target.resumedInAttempt();
            target.reset();
            if (resumed && !restarted) {
              // The bytes kept from an earlier attempt may be the bad part: try this source once in full.
              restarted = true;
              context.log().info(PREFIX + request.name() + ": sha256 mismatch after resuming from " + shown
                  + "; fetching it again from the start");
              continue;
            }
            failure = Optional.of("sha256 mismatch: expected " + sha256 + ", got " + actual);
          }
          fail(request, shown, failure.get(), failures, context);
          break;
        }
      }
      if (target.position() == 0) {
        target.discard();
      }
    }
    throw allFailed(request, failures);
  }

  private static void awaitRead(SeedSpecPass pass) throws InterruptedIOException {
    try {
      pass.awaitRead();
    } catch (InterruptedException e) {
      pass.abandon();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while computing seed specs");
    }
  }

  /**
   * Keeps the seed specs computed while downloading where {@link ManifestEntries} looks first; a failure
   * only means they are computed from the file later.
   */
  private void rememberSeedSpecs(SeedSpecPass pass, ArtifactRequest request, Path file, String sha256,
      long size, FetchLog log) {
    ArtifactEntry bare = ManifestEntries.bare(request, size, sha256);
    try {
      Optional<Map<Backend, Optional<SeedEntry>>> specs = pass.finish(bare, file);
      if (specs.isEmpty()) {
        log.debug(PREFIX + request.name() + ": seed specs not computed while downloading; computing them "
            + "from the file");
        return;
      }
      for (Map.Entry<Backend, Optional<SeedEntry>> spec : specs.get().entrySet()) {
        if (spec.getValue().isPresent()) {
          cache.rememberSeedSpec(ManifestEntries.rememberKey(spec.getKey(), bare), spec.getValue().get());
        }
      }
    } catch (IOException e) {
      log.debug(PREFIX + request.name() + ": could not keep the seed specs computed while downloading: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
  /** The peers' offers (unless offline), then the declared sources, each with the context to fetch it with. */
  private List<Candidate> candidates(ArtifactRequest request, String sha256, FetchContext context) {
    List<Candidate> candidates = new ArrayList<>();
    if (!peers.isEmpty() && !context.offline()) {
      FetchContext peerContext = Peers.peerContext(context);
      for (PeerSource peer : peers.sources(request.name(), sha256, context.log())) {
        candidates.add(new Candidate(peer.uri(), peer.label(), peerContext));
      }
    }
    for (URI source : request.sources()) {
      candidates.add(new Candidate(source, Sources.redact(source), context));
    }
    return candidates;
  }

  /** One place to try: its URI, how logs show it, and the context to fetch it with. */
  private record Candidate(URI uri, String shown, FetchContext context) {}

  private FetchedArtifact fetchUnpinned(ArtifactRequest request, FetchContext context, long start)
      throws ArtifactFetchException {
    if (context.offline()) {
      throw new ArtifactFetchException("artifact " + request.name() + " has no <sha256>, so it cannot be "
          + "looked up in the cache offline; run once without -o/offline, then add the <sha256> it prints",
          List.of());
    }
    requireSources(request);
    List<SourceFailure> failures = new ArrayList<>();
    try {
      for (URI source : request.sources()) {
        String shown = Sources.redact(source);
        Optional<Backend> backend = backendFor(source, shown, request, failures, context);
        if (backend.isEmpty()) {
          continue;
        }
        HashingFileTarget target = openTemp(request, context.log());
        try {
          Optional<String> failure = attempt(backend.get(), source, shown, target, withOtherSources(context,
              request, source));
          if (failure.isPresent()) {
            fail(request, shown, failure.get(), failures, context);
            continue;
          }
          String actual = target.finishHash();
          long size = target.position();
          target.seal();
          Path file;
          try (CacheLock lock = cache.lock(actual, request.name(), context.log())) {
            file = cache.commit(target.file(), actual);
          }
          delivered(request, file, actual, size, shown, start, target.received(), failures, context);
          throw new UnpinnedArtifactException("artifact " + request.name() + " has no <sha256>; the bytes "
              + "fetched from " + shown + " have sha256 " + actual + ": after checking them, add <sha256>" + actual
              + "</sha256>", actual, shown, failures);
        } finally {
          target.discard();
        }
      }
    } catch (IOException e) {
      throw localFailure(request, e);
    }
    throw allFailed(request, failures);
  }

  /** A fetch target over a new temporary file of the cache; the file is removed if it cannot be opened. */
  private HashingFileTarget openTemp(ArtifactRequest request, FetchLog log) throws IOException {
    Path temp = cache.newTempFile();
    try {
      return HashingFileTarget.open(temp, request.name(), log).imagePath(request.path());
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /** {@code context} telling the backend of the artifact's other sources ({@link FetchContext#OTHER_SOURCES}). */
  private static FetchContext withOtherSources(FetchContext context, ArtifactRequest request, URI source) {
    List<String> others = request.sources().stream().filter(s -> !s.equals(source)).map(URI::toString).toList();
    return others.isEmpty() ? context
        : context.toBuilder().option(FetchContext.OTHER_SOURCES, String.join(" ", others)).build();
  }

  /** Runs one backend over the target; empty when it returned normally, else why it failed. */
  private Optional<String> attempt(Backend backend, URI source, String shown, HashingFileTarget target,
      FetchContext context) throws IOException {
    target.beginAttempt(shown);
    try {
      backend.fetch(source, target, context);
      return Optional.empty();
    } catch (InterruptedIOException e) {
      throw e;
    } catch (FetchException e) {
      rethrowLocal(target);
      return Optional.of(Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()));
    } catch (IOException e) {
      rethrowLocal(target);
      return Optional.of(describe(e));
    } catch (RuntimeException e) {
      rethrowLocal(target);
      return Optional.of("backend " + backend.name() + " failed: " + describe(e));
    }
  }

  private static void rethrowLocal(HashingFileTarget target) throws IOException {
    if (target.localFailure() != null) {
      throw target.localFailure();
    }
  }

  private boolean isLocal(URI source) {
    return backends.forSource(source).map(b -> !b.usesNetwork()).orElse(false);
  }

  private Optional<Backend> backendFor(URI source, String shown, ArtifactRequest request,
      List<SourceFailure> failures, FetchContext context) {
    if (source.getScheme() == null) {
      fail(request, shown, "not an absolute URI; expected one like https://host/path or file:/abs/path",
          failures, context);
      return Optional.empty();
    }
    Optional<Backend> backend = backends.forSource(source);
    if (backend.isPresent() && context.offline() && backend.get().usesNetwork()) {
      fail(request, shown, "skipped: offline, and this source needs the network", failures, context);
      return Optional.empty();
    }
    if (backend.isEmpty()) {
      boolean known = backends.supportedSchemes().contains(source.getScheme().toLowerCase(Locale.ROOT));
      fail(request, shown, (known ? "no backend can fetch this URI" : "unsupported scheme '" + source.getScheme()
          + "'") + "; supported schemes: " + String.join(", ", backends.supportedSchemes()), failures, context);
    }
    return backend;
  }

  /**
   * The cached file of {@code sha256}, trusted as verified while the cache holds its only name and it is
   * still read-only. A file with other hard links (a DEST placed by {@code pierdat get}) may have been edited
   * through one of them, and a writable one through a link since removed, so such a file is hashed first;
   * when its bytes no longer match it is evicted and empty returned, so that it is fetched again.
   * {@code locked}: the caller holds the lock of {@code sha256}.
   */
  private Optional<FetchedArtifact> fromCache(ArtifactRequest request, String sha256, long start, String note,
      FetchLog log, boolean locked) throws ArtifactFetchException {
    Optional<Path> file = cache.find(sha256);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    long size;
    int links;
    boolean hashed = false;
    try {
      BasicFileAttributes attributes = Files.readAttributes(file.get(), BasicFileAttributes.class);
      size = attributes.size();
      links = ArtifactCache.links(file.get());
      // An entry is committed read-only: a write bit means it was made writable through some link, maybe
      // one that is gone now, and edited.
      boolean writable = links <= 1 && ArtifactCache.writable(file.get());
      if (links > 1 || writable) {
        String actual = Sha256.of(file.get());
        if (!actual.equals(sha256)) {
          log.warn(PREFIX + request.name() + ": cache entry " + file.get() + " was modified since it was "
              + "verified (" + (writable ? "it was made writable" : "it has " + links + " links")
              + ", e.g. a DEST placed by pierdat get; its bytes now hash to " + actual
              + "): deleting it and fetching again");
          evict(request, sha256, attributes.fileKey(), log, locked);
          return Optional.empty();
        }
        hashed = true;
        if (writable) {
          try {
            ArtifactCache.makeReadOnly(file.get()); // verified again: trusted without hashing from now on
          } catch (IOException e) {
            // Another user's entry: it is hashed again next time.
          }
        }
      }
    } catch (NoSuchFileException e) {
      // Evicted by another process meanwhile: fetch it like any missing file.
      return Optional.empty();
    } catch (IOException e) {
      throw localFailure(request, e);
    }
    log.info(PREFIX + request.name() + ": " + Units.bytes(size) + " from cache sha256 " + sha256 + note
        + (hashed ? " (hashed again: it " + (links > 1 ? "has other links" : "was made writable") + ")" : ""));
    return Optional.of(new FetchedArtifact(request, file.get(), sha256, size, "cache", true, hashed,
        Duration.ofNanos(System.nanoTime() - start), 0, List.of()));
  }

  /** Deletes the modified cache entry {@code fileKey} under the lock (a newer, verified file stays). */
  private void evict(ArtifactRequest request, String sha256, Object fileKey, FetchLog log, boolean locked)
      throws IOException {
    if (locked) {
      cache.evict(sha256, fileKey);
      return;
    }
    try (CacheLock lock = cache.lock(sha256, request.name(), log)) {
      cache.evict(sha256, fileKey);
    }
  }

  private static FetchedArtifact delivered(ArtifactRequest request, Path file, String sha256, long size,
      String shown, long start, long received, List<SourceFailure> failures, FetchContext context) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    context.log().info(PREFIX + request.name() + ": " + Units.bytes(size) + " from " + shown + " in "
        + Units.duration(elapsed) + " (" + Units.rate(received, elapsed) + ") sha256 " + sha256);
    return new FetchedArtifact(request, file, sha256, size, shown, false, elapsed, received, failures);
  }

  private static void fail(ArtifactRequest request, String shown, String reason, List<SourceFailure> failures,
      FetchContext context) {
    failures.add(new SourceFailure(shown, reason));
    context.log().info(PREFIX + request.name() + ": source " + shown + " failed: " + reason);
  }

  private static void validate(ArtifactRequest request) throws ArtifactFetchException {
    Optional<String> problem = ImagePaths.problem(request.path());
    if (problem.isPresent()) {
      throw new ArtifactFetchException("artifact " + request.name() + ": <path> '" + request.path() + "' "
          + problem.get(), List.of());
    }
    if (request.sha256() != null && !Sha256.isValid(request.sha256())) {
      throw new ArtifactFetchException("artifact " + request.name() + ": <sha256> '" + request.sha256()
          + "' is not a sha256: expected " + Sha256.HEX_LENGTH + " hex digits (0-9, a-f), e.g. the output of "
          + "sha256sum; it has " + request.sha256().length() + " characters", List.of());
    }
  }

  private static void requireSources(ArtifactRequest request) throws ArtifactFetchException {
    if (request.sources().isEmpty()) {
      throw new ArtifactFetchException("artifact " + request.name() + " is not in the cache and has no "
          + "sources: add <sources><source>URL</source></sources> to it", List.of());
    }
  }

  private static ArtifactFetchException allFailed(ArtifactRequest request, List<SourceFailure> failures) {
    StringBuilder message = new StringBuilder("artifact ").append(request.name())
        .append(request.sha256() == null ? "" : " (sha256 " + request.sha256().toLowerCase(Locale.ROOT) + ")")
        .append(" could not be fetched from any of its ").append(failures.size()).append(" source")
        .append(failures.size() == 1 ? "" : "s").append(':');
    for (SourceFailure failure : failures) {
      message.append(System.lineSeparator()).append("  - ").append(failure.source()).append(": ")
          .append(failure.reason());
    }
    return new ArtifactFetchException(message.toString(), failures);
  }

  private ArtifactFetchException localFailure(ArtifactRequest request, IOException e) {
    if (e instanceof InterruptedIOException) {
      Thread.currentThread().interrupt();
      return new ArtifactFetchException("artifact " + request.name() + ": fetching was interrupted", List.of());
    }
    return new ArtifactFetchException("artifact " + request.name() + ": cannot write to the cache at "
        + cache.root() + ": " + describe(e), List.of());
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }
}
