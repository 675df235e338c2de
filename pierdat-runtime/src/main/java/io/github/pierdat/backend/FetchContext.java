package io.github.pierdat.backend;

import java.net.ProxySelector;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Settings for one fetch: network timeouts and retries, proxy, credentials for the artifact's sources,
 * offline mode and where to log. Immutable; build with {@link #builder()}.
 */
public final class FetchContext {

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final ProxySelector proxySelector;
  private final Credentials proxyCredentials;
  private final Credentials credentials;
  private final boolean offline;
  private final FetchLog log;
  private final Map<String, String> options;

  private FetchContext(Builder b) {
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.proxySelector = b.proxySelector;
    this.proxyCredentials = b.proxyCredentials;
    this.credentials = b.credentials;
    this.offline = b.offline;
    this.log = b.log;
    this.options = Collections.unmodifiableMap(new TreeMap<>(b.options));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this context's values. */
  public Builder toBuilder() {
    return new Builder()
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .maxAttempts(maxAttempts)
        .initialBackoff(initialBackoff)
        .proxySelector(proxySelector)
        .proxyCredentials(proxyCredentials)
        .credentials(credentials)
        .offline(offline)
        .log(log)
        .options(options);
  }

  /** How long to wait for a connection. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** How long a transfer may go without receiving a byte before it counts as failed. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** Attempts per source for retryable failures (5xx, connection errors), resuming each time. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Wait before the first retry; doubles with each retry. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The proxy selector for network backends; {@link ProxySelector#getDefault()} unless set. */
  public ProxySelector proxySelector() {
    return proxySelector;
  }

  /** Credentials for the proxy, if it needs them. */
  public Optional<Credentials> proxyCredentials() {
    return Optional.ofNullable(proxyCredentials);
  }

  /** Credentials for the artifact's sources (Maven {@code <serverId>}), if any. */
  public Optional<Credentials> credentials() {
    return Optional.ofNullable(credentials);
  }

  /** True when no network may be used (Maven {@code -o}). */
  public boolean offline() {
    return offline;
  }

  public FetchLog log() {
    return log;
  }

  /**
   * Backend-specific settings, keyed by {@code <backend>.<name>} (e.g. {@code ipfs.gateways}); the plugin
   * and CLI map {@code -Dpierdat.<backend>.<name>} to them. Sorted by key; never credentials in logs.
   */
  public Map<String, String> options() {
    return options;
  }

  /**
   * Option the fetcher sets for each source: the artifact's other sources, space-separated (credentials
   * apply to them as to this one), so a backend can complete from them what its own source left unfinished
   * (BitTorrent fills the pieces the swarm did not deliver from the http(s) ones).
   */
  public static final String OTHER_SOURCES = "fetch.otherSources";

  /** The backend-specific setting {@code key}, if set. */
  public Optional<String> option(String key) {
    return Optional.ofNullable(options.get(key));
  }

  /** Fluent builder for {@link FetchContext}. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(20);
    private Duration readTimeout = Duration.ofSeconds(60);
    private int maxAttempts = 4;
    private Duration initialBackoff = Duration.ofMillis(500);
    private ProxySelector proxySelector = ProxySelector.getDefault();
    private Credentials proxyCredentials;
    private Credentials credentials;
    private boolean offline;
    private FetchLog log = FetchLog.silent();
    private final Map<String, String> options = new TreeMap<>();

    private Builder() {}

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = Objects.requireNonNull(value);
      return this;
    }

    public Builder readTimeout(Duration value) {
      this.readTimeout = Objects.requireNonNull(value);
      return this;
    }

    public Builder maxAttempts(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + value);
      }
      this.maxAttempts = value;
      return this;
    }

    public Builder initialBackoff(Duration value) {
      this.initialBackoff = Objects.requireNonNull(value);
      return this;
    }

    public Builder proxySelector(ProxySelector value) {
      this.proxySelector = value;
      return this;
    }

    public Builder proxyCredentials(Credentials value) {
      this.proxyCredentials = value;
      return this;
    }

    public Builder credentials(Credentials value) {
      this.credentials = value;
      return this;
    }

    public Builder offline(boolean value) {
      this.offline = value;
      return this;
    }

    public Builder log(FetchLog value) {
      this.log = Objects.requireNonNull(value);
      return this;
    }

    /** Sets one backend-specific setting (see {@link FetchContext#options()}); a null value removes it. */
    public Builder option(String key, String value) {
      Objects.requireNonNull(key, "key");
      if (value == null) {
        options.remove(key);
      } else {
        options.put(key, value);
      }
      return this;
    }

    /** Adds every backend-specific setting in {@code values}. */
    public Builder options(Map<String, String> values) {
      values.forEach(this::option);
      return this;
    }


    public FetchContext build() {
      return new FetchContext(this);
    }
  }
}
