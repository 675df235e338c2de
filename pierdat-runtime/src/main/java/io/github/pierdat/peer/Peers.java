package io.github.pierdat.peer;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.backend.http.HttpBackend;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The peers of a build: running pierdat agents asked for an artifact before its declared sources. An agent's
 * HTTP seeder serves every artifact at {@code /artifacts/<sha256>}, so a peer can only be asked for an artifact
 * whose sha256 is pinned; its bytes are verified like any source's.
 *
 * <p>A peer is a shortcut, never the only way: a dead or slow peer must not hold up a build. Each peer gets one
 * attempt (no retries, no backoff), {@value #CONNECT_SECONDS} s to accept the connection and at most {@value
 * #READ_SECONDS} s without a byte; a transfer it breaks off is resumed from the next peer or source. Peers never
 * receive the credentials of the declared sources.
 */
public final class Peers {

  /** Seconds a peer gets to accept the connection. */
  public static final int CONNECT_SECONDS = 3;
  /** The longest a peer may go without sending a byte (the build's read timeout if shorter). */
  public static final int READ_SECONDS = 10;

  private static final Peers NONE = new Peers(List.of());

  private final List<PeerAddress> addresses;

  private Peers(List<PeerAddress> addresses) {
    this.addresses = List.copyOf(addresses);
  }

  /** No peers. */
  public static Peers none() {
    return NONE;
  }

  /** These peers, asked in this order. */
  public static Peers of(List<PeerAddress> addresses) {
    return Objects.requireNonNull(addresses, "addresses").isEmpty() ? NONE : new Peers(addresses);
  }

  /** The peers as configured (before {@code dns:} names are resolved). */
  public List<PeerAddress> addresses() {
    return addresses;
  }

  public boolean isEmpty() {
    return addresses.isEmpty();
  }

  /**
   * Where the peers offer the artifact with {@code sha256}, in order, resolving {@code dns:} names now. A name
   * that does not resolve is logged and left out: the declared sources still follow.
   *
   * @param name the artifact's name, for the log
   */
  public List<PeerSource> sources(String name, String sha256, FetchLog log) {
    List<PeerSource> sources = new ArrayList<>();
    String path = HttpBackend.SEED_PATH_PREFIX + sha256;
    for (PeerAddress peer : addresses) {
      if (!peer.everyRecord()) {
        sources.add(new PeerSource(URI.create("http://" + peer.authority() + path), "peer " + peer.authority()));
        continue;
      }
      List<InetSocketAddress> resolved;
      try {
        resolved = peer.resolve();
      } catch (UnknownHostException e) {
        log.warn("[pierdat] " + name + ": peer " + peer + " skipped: " + peer.host() + " does not resolve");
        continue;
      }
      log.debug("[pierdat] " + name + ": peer " + peer + " resolves to " + resolved.size() + " address(es)");
      for (InetSocketAddress address : resolved) {
        String authority = PeerAddress.bracketed(address.getAddress().getHostAddress()) + ":" + address.getPort();
        sources.add(new PeerSource(URI.create("http://" + authority + path), "peer " + authority + " (" + peer + ")"));
      }
    }
    return sources;
  }

  /**
   * The context to fetch from a peer with: {@code declared} without its source credentials, with one attempt and
   * the peers' short timeouts (the proxy settings stay, as for any HTTP source).
   */
  public static FetchContext peerContext(FetchContext declared) {
    Duration read = Duration.ofSeconds(READ_SECONDS);
    Duration connect = Duration.ofSeconds(CONNECT_SECONDS);
    return declared.toBuilder()
        .credentials(null)
        .maxAttempts(1)
        .connectTimeout(min(connect, declared.connectTimeout()))
        .readTimeout(min(read, declared.readTimeout()))
        .build();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public String toString() {
    return addresses.toString();
  }
}
