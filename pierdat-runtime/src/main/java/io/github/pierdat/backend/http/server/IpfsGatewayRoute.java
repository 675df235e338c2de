package io.github.pierdat.backend.http.server;

import io.github.pierdat.backend.SeededArtifact;
import io.github.pierdat.backend.ipfs.IpfsBackend;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.CidFormatException;
import io.github.pierdat.backend.ipfs.gateway.GatewayResponse;
import io.github.pierdat.backend.ipfs.gateway.TrustlessGateway;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trustless IPFS gateway ({@link TrustlessGateway}) mounted at {@code /ipfs/} on the HTTP seeder, over
 * the artifacts whose pier.dat entry has an {@code ipfs} seed (their CID). Only those files' blocks are
 * ever served. The block index (a pass over each file, hashing every block) is built by the first request
 * that needs it, which waits for it: an image that is never asked over IPFS never pays that pass (about
 * 16 s per GiB on the agent's C1-only JIT, which has no SHA intrinsics).
 */
final class IpfsGatewayRoute {

  /** The path prefix the gateway answers. */
  static final String PREFIX = "/ipfs/";

  private static final Logger LOG = LoggerFactory.getLogger(IpfsGatewayRoute.class);

  private final TrustlessGateway gateway;
  private final Map<Cid, String> names;

  private IpfsGatewayRoute(TrustlessGateway gateway, Map<Cid, String> names) {
    this.gateway = gateway;
    this.names = Map.copyOf(names);
  }

  /** The gateway over every artifact of {@code seeded} with a well-formed CID in its ipfs seed entry. */
  static IpfsGatewayRoute of(List<SeededArtifact> seeded) {
    TrustlessGateway.Builder builder = TrustlessGateway.builder();
    Map<Cid, String> names = new HashMap<>();
    for (SeededArtifact s : seeded) {
      Optional<String> text = s.artifact().seed(IpfsBackend.NAME).map(e -> e.param(IpfsBackend.CID_PARAM));
      if (text.isEmpty() || text.get() == null) {
        continue;
      }
      try {
        Cid cid = Cid.parse(text.get());
        builder.file(cid, s.file());
        names.putIfAbsent(cid, s.artifact().name());
      } catch (CidFormatException e) {
        LOG.error("not serving {} over /ipfs/: its ipfs seed CID '{}' is malformed: {}", s.artifact().name(),
            text.get(), e.getMessage());
      }
    }
    return new IpfsGatewayRoute(builder.build(), names);
  }

  /** True when no artifact has a CID: every {@code /ipfs/} request is then 404. */
  boolean isEmpty() {
    return names.isEmpty();
  }

  /**
   * Answers a GET or HEAD whose path starts with {@link #PREFIX}.
   *
   * @param target the request-target as received
   */
  GatewayResponse respond(String method, String target, String accept) throws URISyntaxException {
    URI uri = new URI(originForm(target));
    return gateway.respond(method, uri, accept);
  }

  /** The artifact a block belongs to, for the metrics; {@code ipfs} when unknown. */
  String artifactName(String target) {
    try {
      String path = new URI(originForm(target)).getRawPath();
      String rest = path.substring(PREFIX.length());
      int slash = rest.indexOf('/');
      Cid cid = Cid.parse(slash < 0 ? rest : rest.substring(0, slash));
      return gateway.fileOf(cid).map(names::get).orElse(IpfsBackend.NAME);
    } catch (URISyntaxException | RuntimeException e) {
      return IpfsBackend.NAME;
    }
  }

  /** Drops the scheme and authority of an absolute-form target. */
  private static String originForm(String target) {
    if (target.startsWith("/")) {
      return target;
    }
    int authority = target.indexOf("//");
    int slash = authority < 0 ? -1 : target.indexOf('/', authority + 2);
    return slash < 0 ? "/" : target.substring(slash);
  }
}
