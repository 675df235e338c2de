package io.github.pierdat.backend.ipfs;

import io.github.pierdat.backend.Credentials;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.manifest.Sources;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@link FetchContext#option options} the IPFS backend reads. The Maven plugin and the CLI map
 * {@code -Dpierdat.ipfs.gateways=…} to {@link #GATEWAYS} and so on.
 */
public final class IpfsOptions {

  /**
   * Comma-separated base URLs of trustless HTTP gateways, tried in order, e.g.
   * {@code http://127.0.0.1:8080,https://gw.example.org}. Requests go to {@code <base>/ipfs/<cid>}.
   */
  public static final String GATEWAYS = "ipfs.gateways";

  /**
   * Comma-separated base URLs of Kubo-compatible RPC APIs, tried after the gateways, e.g.
   * {@code http://127.0.0.1:5001}. Requests go to {@code <base>/api/v0/dag/export} (a CAR, every block
   * verified) or, where that is missing, {@code <base>/api/v0/cat}, whose unverified bytes are checked by
   * recomputing the CID with kubo's default import parameters.
   */
  public static final String API = "ipfs.api";

  /**
   * How gateways are asked: {@code auto} (default: one CAR request, per-block {@code ?format=raw} requests
   * when the gateway refuses CAR or a block is missing from the CAR), {@code car} or {@code raw}.
   */
  public static final String GATEWAY_MODE = "ipfs.gatewayMode";

  private IpfsOptions() {}

  /** How a gateway is asked for blocks. */
  enum Mode {
    AUTO,
    CAR,
    RAW
  }

  /** The kind of endpoint. */
  enum Kind {
    GATEWAY,
    RPC
  }

  /**
   * One endpoint.
   *
   * @param kind gateway or RPC
   * @param base the base URL without user info and without a trailing slash
   * @param credentials from the URL's user info, for HTTP Basic auth; null when none
   */
  record Endpoint(Kind kind, URI base, Credentials credentials) {

    /** How it is shown in logs and errors: never with credentials. */
    String display() {
      return (kind == Kind.GATEWAY ? "gateway " : "RPC API ") + base;
    }
  }

  static Mode mode(FetchContext context) throws FetchException {
    String value = context.option(GATEWAY_MODE).orElse("auto").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "auto" -> Mode.AUTO;
      case "car" -> Mode.CAR;
      case "raw" -> Mode.RAW;
      default -> throw new FetchException("option " + GATEWAY_MODE + " is \"" + value
          + "\"; expected auto, car or raw (-Dpierdat." + GATEWAY_MODE + "=auto)");
    };
  }

  /** The gateways, then the RPC APIs, as configured. */
  static List<Endpoint> endpoints(FetchContext context) throws FetchException {
    List<Endpoint> endpoints = new ArrayList<>();
    parse(context, GATEWAYS, Kind.GATEWAY, endpoints);
    parse(context, API, Kind.RPC, endpoints);
    return endpoints;
  }

  private static void parse(FetchContext context, String key, Kind kind, List<Endpoint> into) throws FetchException {
    String value = context.option(key).orElse("");
    for (String item : value.split(",")) {
      String text = item.trim();
      if (text.isEmpty()) {
        continue;
      }
      URI uri;
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        throw new FetchException("option " + key + ": \"" + Sources.redact(text) + "\" is not a URL ("
            + e.getReason() + "); expected e.g. " + example(kind));
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new FetchException("option " + key + ": \"" + Sources.redact(uri) + "\" is not an http(s) URL with a"
            + " host; expected e.g. " + example(kind));
      }
      Credentials credentials = null;
      String userInfo = uri.getRawUserInfo();
      if (userInfo != null) {
        int colon = userInfo.indexOf(':');
        credentials = new Credentials(
            URLDecoder.decode(colon < 0 ? userInfo : userInfo.substring(0, colon), StandardCharsets.UTF_8),
            colon < 0 ? "" : URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
      }
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      URI base = URI.create(scheme + "://" + uri.getRawAuthority().substring(userInfo == null ? 0 : userInfo.length() + 1)
          + path);
      into.add(new Endpoint(kind, base, credentials));
    }
  }

  private static String example(Kind kind) {
    return kind == Kind.GATEWAY ? "http://127.0.0.1:8080" : "http://127.0.0.1:5001";
  }
}
