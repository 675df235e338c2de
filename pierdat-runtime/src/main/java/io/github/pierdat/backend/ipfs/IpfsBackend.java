package io.github.pierdat.backend.ipfs;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.SeedSpecHasher;
import io.github.pierdat.backend.SeedContext;
import io.github.pierdat.backend.SeededArtifact;
import io.github.pierdat.backend.Seeder;
import io.github.pierdat.backend.ipfs.IpfsOptions.Endpoint;
import io.github.pierdat.backend.ipfs.car.CarFormatException;
import io.github.pierdat.backend.ipfs.cid.BlockMismatchException;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.CidFormatException;
import io.github.pierdat.backend.ipfs.dagpb.DagPbException;
import io.github.pierdat.backend.ipfs.node.IpfsNodeSeeder;
import io.github.pierdat.backend.ipfs.node.KuboApi;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsException;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fetches UnixFS files named {@code ipfs://<CID>} and describes every artifact by its CID for seeding.
 *
 * <p>Fetching asks the endpoints in the {@link FetchContext#options() options} {@value IpfsOptions#GATEWAYS}
 * (trustless HTTP gateways, tried first, in order) and {@value IpfsOptions#API} (Kubo-compatible RPC APIs),
 * each up to {@link FetchContext#maxAttempts()} times for retryable failures, continuing after the bytes
 * already written. From gateways every block is verified against its CID before its bytes are written; a
 * block that does not match fails that endpoint (the message names the block) and the next is tried. From
 * RPC APIs the DAG comes as a verified CAR ({@code dag/export}) or, failing that, as {@code cat} bytes verified
 * by recomputing the CID with kubo's default import parameters (see {@link KuboRpcClient}). A CID that is not a UnixFS file (e.g. a directory) fails at once, since every
 * endpoint would give the same verified answer.
 *
 * <p>Seeding: {@link #seedSpec} computes each artifact's CID with kubo's defaults
 * ({@link UnixFsImporter#kuboDefaults()}) and records {@code {"backend":"ipfs","params":{"cid":"Qm…"}}};
 * the agent's HTTP seeder serves it with {@link io.github.pierdat.backend.ipfs.gateway.TrustlessGateway}
 * at {@code /ipfs/<cid>}, and when the seed option {@value #API_OPTION} ({@code PIERDAT_IPFS_API}) names
 * an IPFS node's RPC API, {@link #seeder} adds and pins every artifact there ({@link IpfsNodeSeeder}).
 */
public final class IpfsBackend implements Backend {

  /** The backend's name in pier.dat and logs. */
  public static final String NAME = "ipfs";
  /** The seed parameter holding the CID. */
  public static final String CID_PARAM = "cid";
  /** The seed option naming the Kubo-compatible RPC API to add and pin artifacts to ({@code PIERDAT_IPFS_API}). */
  public static final String API_OPTION = "ipfs.api";

  private final UnixFsImporter importer;

  /** The backend with kubo's default import parameters (what {@link java.util.ServiceLoader} creates). */
  public IpfsBackend() {
    this(UnixFsImporter.kuboDefaults());
  }

  /** The backend computing seed CIDs with {@code importer}. */
  public IpfsBackend(UnixFsImporter importer) {
    this.importer = importer;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> schemes() {
    return Set.of("ipfs");
  }

  @Override
  public boolean accepts(URI source) {
    return source.getScheme() != null && source.getScheme().toLowerCase(Locale.ROOT).equals("ipfs");
  }

  @Override
  public Optional<String> problem(URI source) {
    try {
      cidOf(source);
      return Optional.empty();
    } catch (FetchException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * The CID in {@code ipfs://<CID>} (a trailing slash is allowed).
   *
   * @throws FetchException when the URI has a path inside the CID or the CID is malformed or unsupported
   */
  public static Cid cidOf(URI source) throws FetchException {
    String rest = source.getRawSchemeSpecificPart();
    if (rest == null || !rest.startsWith("//") || source.getRawQuery() != null || source.getRawFragment() != null) {
      throw new FetchException("source " + source + " is not of the form ipfs://<CID>, e.g. ipfs://Qm… or ipfs://bafy…");
    }
    rest = rest.substring(2);
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.contains("/")) {
      throw new FetchException("source " + source + " has a path inside its CID; only ipfs://<CID> of a file"
          + " is supported: give the CID of the file itself");
    }
    try {
      return Cid.parse(rest);
    } catch (CidFormatException e) {
      throw new FetchException("source " + source + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void fetch(URI source, FetchTarget target, FetchContext context) throws FetchException, IOException {
    Cid cid = cidOf(source);
    if (context.offline()) {
      throw new FetchException("offline mode: " + source + " needs an IPFS gateway or API; drop offline mode (-o)"
          + " or use a cached copy");
    }
    List<Endpoint> endpoints = IpfsOptions.endpoints(context);
    if (endpoints.isEmpty()) {
      throw new FetchException("no IPFS endpoint is configured for " + source + ": set option "
          + IpfsOptions.GATEWAYS + " (trustless gateways, e.g. -Dpierdat." + IpfsOptions.GATEWAYS
          + "=http://127.0.0.1:8080) and/or " + IpfsOptions.API + " (Kubo RPC, e.g. -Dpierdat." + IpfsOptions.API
          + "=http://127.0.0.1:5001)");
    }
    IpfsOptions.Mode mode = IpfsOptions.mode(context);
    HttpTransport http = new HttpTransport(context);
    List<String> failures = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      String failure = tryEndpoint(cid, endpoint, target, context, http, mode);
      if (failure == null) {
        return;
      }
      failures.add(failure);
      context.log().warn("ipfs: " + failure);
    }
    throw new FetchException("no IPFS endpoint delivered " + source + ": " + String.join("; ", failures));
  }

  /** Fetches from one endpoint with retries; returns null on success or why it failed. */
  private static String tryEndpoint(Cid cid, Endpoint endpoint, FetchTarget target, FetchContext context,
      HttpTransport http, IpfsOptions.Mode mode) throws FetchException {
    Duration backoff = context.initialBackoff();
    for (int attempt = 1; ; attempt++) {
      long before = target.position();
      context.log().info("ipfs: " + cid + " from " + endpoint.display()
          + (before > 0 ? " (continuing after " + before + " bytes)" : ""));
      FetchException failure;
      try {
        if (endpoint.kind() == IpfsOptions.Kind.GATEWAY) {
          new GatewayClient(endpoint, http, mode, context.log()).fetch(cid, target);
        } else {
          new KuboRpcClient(endpoint, http).fetch(cid, target);
        }
        context.log().info("ipfs: " + cid + ": " + target.position() + " bytes from " + endpoint.display());
        return null;
      } catch (UnixFsException | DagPbException e) {
        // The blocks were verified: every endpoint would give the same answer.
        throw new FetchException("ipfs://" + cid + ": " + e.getMessage(), e);
      } catch (WrappedFetchException e) {
        failure = e.fetchException();
      } catch (FetchException e) {
        failure = e;
      } catch (BlockMismatchException | CarFormatException e) {
        failure = new FetchException(endpoint.display() + ": " + e.getMessage(), false, e);
      } catch (IOException e) {
        failure = new FetchException(endpoint.display() + ": " + HttpTransport.describe(e), true, e);
      }
      if (!failure.isRetryable() || attempt >= context.maxAttempts()) {
        return failure.getMessage() + (attempt > 1 ? " (after " + attempt + " attempts)" : "");
      }
      context.log().warn("ipfs: " + failure.getMessage() + "; retrying in " + backoff.toMillis() + " ms");
      sleep(backoff);
      backoff = backoff.multipliedBy(2);
    }
  }

  private static void sleep(Duration duration) throws FetchException {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException("interrupted while waiting to retry", e);
    }
  }

  /**
   * Builds the DAG while the artifact is fetched: the CID then costs no pass over the file. When the artifact
   * comes from IPFS, the leaves already verified by the fetch are not hashed again ({@link CidSeedHasher}).
   */
  @Override
  public Optional<SeedSpecHasher> seedSpecHasher(long size) {
    return Optional.of(new CidSeedHasher(importer));
  }

  /** The artifact's CID with kubo's default import parameters (a pass over the file). */
  @Override
  public Optional<SeedEntry> seedSpec(ArtifactEntry artifact, Path file) throws IOException {
    Cid cid = importer.importFile(file);
    return Optional.of(new SeedEntry(NAME, Map.of(CID_PARAM, cid.toString())));
  }

  /**
   * An {@link IpfsNodeSeeder} into the node at the seed option {@value #API_OPTION}, or empty when it is not
   * set (the CIDs are then served by the HTTP seeder's gateway only).
   *
   * @throws IllegalArgumentException when the option is not an http(s) URL
   */
  @Override
  public Optional<Seeder> seeder(List<SeededArtifact> artifacts, SeedContext context) {
    Optional<String> api = context.option(API_OPTION);
    if (api.isEmpty() || artifacts.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(IpfsNodeSeeder.builder(artifacts, KuboApi.of(api.get(), Duration.ofSeconds(30))).build());
  }
}
