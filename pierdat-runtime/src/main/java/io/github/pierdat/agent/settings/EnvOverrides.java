package io.github.pierdat.agent.settings;

import io.github.pierdat.backend.TestFaults;
import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.manifest.ImagePaths;
import io.github.pierdat.peer.PeerAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's {@code PIERDAT_*} environment variables, checked all at once before the app starts: an
 * unknown variable or a malformed value is an error naming the variable, the value and what is expected.
 * An empty value counts as not set. Values override pier.dat's settings ({@link #applyTo(AgentSettings)}).
 */
public final class EnvOverrides {

  /** Every variable the agent reads, with what it expects (for messages and {@code --help}). */
  public static final Map<String, String> VARIABLES = variables();

  /** The seed option {@code PIERDAT_DHT} sets ({@code true} or {@code false}): the BitTorrent seeder joins the DHT. */
  public static final String DHT_OPTION = io.github.pierdat.backend.bittorrent.BitTorrentOptions.DHT;
  /** The seed option {@code PIERDAT_IPFS_API} sets: the Kubo-compatible RPC API the IPFS seeder adds to. */
  public static final String IPFS_API_OPTION = io.github.pierdat.backend.ipfs.IpfsBackend.API_OPTION;

  /** The value of {@code PIERDAT_BACKENDS} (or an entry of settings.backends) that disables seeding. */
  public static final String NO_BACKENDS = "none";

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9]+)?");
  /** A backend name such as {@code http}, or {@code script:<name>} for a script backend. */
  private static final Pattern BACKEND = Pattern.compile("[a-z][a-z0-9-]*(:[A-Za-z0-9][A-Za-z0-9._+-]*)?");
  private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*([kKmMgG]?)(i?[bB])?");
  private static final Pattern SECONDS = Pattern.compile("(\\d+(\\.\\d{1,3})?)s?");

  private final Path config;
  private final OptionalInt httpPort;
  private final OptionalInt btPort;
  private final Optional<String> bind;
  private final Optional<String> advertise;
  private final OptionalLong uploadLimit;
  private final Optional<List<String>> peers;
  private final Optional<List<String>> backends;
  private final Optional<List<String>> trackers;
  private final Optional<String> log;
  private final Duration grace;
  private final VerifyMode verify;
  private final TestFaults faults;
  private final Map<String, String> backendOptions;

  private EnvOverrides(Map<String, String> env) throws SettingsException {
    config = Path.of(value(env, "PIERDAT_CONFIG").orElse(ImagePaths.PIER_DAT));
    httpPort = port(env, "PIERDAT_HTTP_PORT");
    btPort = port(env, "PIERDAT_BT_PORT");
    bind = host(env, "PIERDAT_BIND", false);
    advertise = host(env, "PIERDAT_ADVERTISE", true);
    uploadLimit = bytesPerSecond(env, "PIERDAT_UPLOAD_LIMIT");
    peers = peers(env, "PIERDAT_PEERS");
    backends = backends(env, "PIERDAT_BACKENDS");
    trackers = trackers(env, "PIERDAT_TRACKERS");
    log = logLevel(env, "PIERDAT_LOG");
    grace = seconds(env, "PIERDAT_GRACE").orElse(Duration.ofSeconds(10));
    verify = verify(env, "PIERDAT_VERIFY");
    Map<String, String> options = new TreeMap<>();
    apiUrl(env, "PIERDAT_IPFS_API").ifPresent(url -> options.put(IPFS_API_OPTION, url));
    onOff(env, "PIERDAT_DHT").ifPresent(on -> options.put(DHT_OPTION, on.toString()));
    backendOptions = java.util.Collections.unmodifiableMap(options);
    Optional<String> faultSpec = value(env, "PIERDAT_TEST_FAULTS");
    try {
      faults = TestFaults.parse(faultSpec.orElse(null));
    } catch (IllegalArgumentException e) {
      throw invalid("PIERDAT_TEST_FAULTS", faultSpec.orElse(""), e.getMessage() + " (a test hook only)");
    }
  }

  /**
   * Reads and checks every {@code PIERDAT_*} variable of {@code env}.
   *
   * @throws SettingsException for an unknown variable or a malformed value
   */
  public static EnvOverrides parse(Map<String, String> env) throws SettingsException {
    for (String name : new TreeMap<>(env).keySet()) {
      if (name.startsWith("PIERDAT_") && !VARIABLES.containsKey(name)) {
        throw new SettingsException("unknown environment variable " + name + "; the agent reads only "
            + String.join(", ", VARIABLES.keySet()) + " (unset it or fix the spelling)");
      }
    }
    return new EnvOverrides(env);
  }

  /** {@code settings} (pier.dat's defaults) with every variable that is set applied over it. */
  public AgentSettings applyTo(AgentSettings settings) {
    return new AgentSettings(
        httpPort.orElse(settings.httpPort()),
        btPort.orElse(settings.btPort()),
        bind.orElse(settings.bind()),
        advertise.orElse(settings.advertise()),
        uploadLimit.orElse(settings.uploadLimit()),
        peers.orElse(settings.peers()),
        backends.orElse(settings.backends()),
        trackers.orElse(settings.trackers()),
        log.orElse(settings.log()));
  }

  /** Where pier.dat is: {@code PIERDAT_CONFIG}, else {@code /etc/pier.dat}. */
  public Path config() {
    return config;
  }

  /** {@code PIERDAT_HTTP_PORT}, if set. */
  public OptionalInt httpPort() {
    return httpPort;
  }

  /** {@code PIERDAT_LOG}, if set. */
  public Optional<String> log() {
    return log;
  }

  /** How long seeders get to stop once the app has exited ({@code PIERDAT_GRACE}, default 10 s). */
  public Duration grace() {
    return grace;
  }

  /** How thoroughly artifacts are checked before seeding ({@code PIERDAT_VERIFY}, default size). */
  public VerifyMode verify() {
    return verify;
  }

  /**
   * Backend-specific settings from the environment, for {@link io.github.pierdat.backend.SeedContext#options()}:
   * {@value #IPFS_API_OPTION} from {@code PIERDAT_IPFS_API}.
   */
  public Map<String, String> backendOptions() {
    return backendOptions;
  }

  /** Faults to inject ({@code PIERDAT_TEST_FAULTS}, a test hook). */
  public TestFaults faults() {
    return faults;
  }

  private static Map<String, String> variables() {
    Map<String, String> v = new TreeMap<>();
    v.put("PIERDAT_CONFIG", "the path of pier.dat (default " + ImagePaths.PIER_DAT + ")");
    v.put("PIERDAT_HTTP_PORT", "the HTTP seeder's TCP port, 1-65535");
    v.put("PIERDAT_BT_PORT", "the BitTorrent seeder's TCP port, 1-65535");
    v.put("PIERDAT_BIND", "the address seeders listen on, e.g. 0.0.0.0, :: or 127.0.0.1");
    v.put("PIERDAT_ADVERTISE", "the host[:port] peers should use to reach this container");
    v.put("PIERDAT_UPLOAD_LIMIT", "the upload limit in bytes/s for all seeders, e.g. 500k or 10M (binary units); 0 for none");
    v.put("PIERDAT_PEERS", "static peers, comma-separated host:port, [ipv6]:port or dns:name:port");
    v.put("PIERDAT_BACKENDS", "the seeding backends to run, comma-separated (e.g. http); none disables seeding");
    v.put("PIERDAT_TRACKERS", "BitTorrent tracker URLs, comma-separated (http, https or udp)");
    v.put("PIERDAT_LOG", "the agent's log level: error, warn, info or debug (default warn)");
    v.put("PIERDAT_GRACE", "seconds the seeders get to stop after the app exits (default 10), e.g. 10 or 2.5");
    v.put("PIERDAT_VERIFY", "size (check presence and size, default) or full (also re-hash every artifact)");
    v.put("PIERDAT_DHT", "on or off (default off): the BitTorrent seeder also joins the public DHT, on UDP port PIERDAT_BT_PORT");
    v.put("PIERDAT_IPFS_API", "the Kubo-compatible RPC API to add and pin every artifact to, e.g. http://127.0.0.1:5001");
    v.put("PIERDAT_TEST_FAULTS", "test hook only: inject faults, e.g. http-crash-after:2s");
    // Read by the pierdat launcher script and by `pierdat get`; listed so the agent accepts them.
    v.put("PIERDAT_CACHE", "pierdat get: the artifact cache directory (default ~/.cache/pierdat)");
    v.put("PIERDAT_JAR", "launcher: the agent jar it runs (default " + ImagePaths.AGENT_JAR + ")");
    v.put("PIERDAT_JAVA_OPTS", "launcher: JVM options (default -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms8m; for get without"
        + " -XX:TieredStopAtLevel=1)");
    return java.util.Collections.unmodifiableMap(v);
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private static SettingsException invalid(String name, String value, String expected) {
    return new SettingsException(name + "='" + value + "' is not valid: expected " + expected);
  }

  private static OptionalInt port(Map<String, String> env, String name) throws SettingsException {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      int port = Integer.parseInt(v.get());
      if (port >= 1 && port <= 65535) {
        return OptionalInt.of(port);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(name, v.get(), "a TCP port number from 1 to 65535");
  }

  private static Optional<String> host(Map<String, String> env, String name, boolean portAllowed)
      throws SettingsException {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return v;
    }
    String host = v.get();
    if (portAllowed && !isHost(host)) {
      try {
        parseHostPort(host);
        return v;
      } catch (IllegalArgumentException e) {
        throw invalid(name, host, "a host name or IP address, optionally with :port (" + e.getMessage() + ")");
      }
    }
    if (!isHost(host)) {
      throw invalid(name, host, "an IP address or host name such as 0.0.0.0, :: or 127.0.0.1");
    }
    return v;
  }

  private static boolean isHost(String host) {
    return HOST.matcher(host).matches() || IPV6.matcher(host).matches();
  }

  /** Splits {@code host:port} or {@code [v6]:port}; throws IllegalArgumentException saying what is wrong. */
  static String[] parseHostPort(String value) {
    String host;
    String port;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("an IPv6 address needs the form [addr]:port");
      }
      host = value.substring(1, close);
      port = value.substring(close + 2);
      if (!IPV6.matcher(host).matches()) {
        throw new IllegalArgumentException("'" + host + "' is not an IPv6 address");
      }
    } else {
      int colon = value.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("no :port");
      }
      host = value.substring(0, colon);
      port = value.substring(colon + 1);
      if (!HOST.matcher(host).matches()) {
        throw new IllegalArgumentException("'" + host + "' is not a host name or IPv4 address");
      }
    }
    try {
      int p = Integer.parseInt(port);
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + port + "' is not a port from 1 to 65535");
    }
    return new String[] {host, port};
  }

  private static OptionalLong bytesPerSecond(Map<String, String> env, String name) throws SettingsException {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(parseBytes(v.get()));
    } catch (IllegalArgumentException e) {
      throw invalid(name, v.get(), "bytes per second as a number with an optional k, M or G suffix"
          + " (binary: 1k = 1024), e.g. 500k or 10M; 0 for no limit");
    }
  }

  /** Parses {@code 500}, {@code 500k}, {@code 10M}, {@code 1G}, {@code 10MiB} (binary units). */
  public static long parseBytes(String value) {
    Matcher m = BYTES.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a byte count: " + value);
    }
    int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      default -> 0;
    };
    long n = Long.parseLong(m.group(1));
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("too large: " + value);
    }
    return n << shift;
  }

  private static List<String> list(String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return items;
  }

  private static Optional<List<String>> peers(Map<String, String> env, String name) throws SettingsException {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(PeerAddress.parseList(v.get()).stream().map(PeerAddress::toString).toList());
    } catch (IllegalArgumentException e) {
      throw invalid(name, v.get(), "comma-separated " + PeerAddress.FORMS + "; " + e.getMessage());
    }
  }

  private static Optional<List<String>> backends(Map<String, String> env, String name) throws SettingsException {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    List<String> names = list(v.get());
    for (String backend : names) {
      if (!BACKEND.matcher(backend).matches()) {
        throw invalid(name, v.get(), "comma-separated backend names such as http, bittorrent or script:aria2, or none; '"
            + backend + "' is not a name");
      }
    }
    if (names.contains(NO_BACKENDS) && names.size() > 1) {
      throw invalid(name, v.get(), "either none or a list of backends, not both");
    }
    return Optional.of(names.isEmpty() ? List.of(NO_BACKENDS) : names);
  }

  private static Optional<List<String>> trackers(Map<String, String> env, String name) throws SettingsException {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    List<String> urls = list(v.get());
    for (String url : urls) {
      String lower = url.toLowerCase(Locale.ROOT);
      boolean scheme = lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("udp://");
      try {
        if (!scheme || java.net.URI.create(url).getHost() == null) {
          throw new IllegalArgumentException();
        }
      } catch (IllegalArgumentException e) {
        throw invalid(name, v.get(), "comma-separated tracker URLs (http://, https:// or udp://host:port/...); '"
            + url + "' is not one");
      }
    }
    return Optional.of(urls);
  }

  private static Optional<Boolean> onOff(Map<String, String> env, String name) throws SettingsException {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    return switch (v.get().toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes", "1" -> Optional.of(true);
      case "off", "false", "no", "0" -> Optional.of(false);
      default -> throw invalid(name, v.get(), "on or off");
    };
  }

  private static Optional<String> apiUrl(Map<String, String> env, String name) throws SettingsException {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return v;
    }
    String expected = "an http:// or https:// URL with a host and no query, e.g. http://127.0.0.1:5001";
    try {
      java.net.URI uri = new java.net.URI(v.get());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null
          && uri.getRawFragment() == null) {
        return v;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    // The value may carry credentials (user info): never echo it.
    throw invalid(name, io.github.pierdat.manifest.Sources.redact(v.get()), expected);
  }

  private static Optional<String> logLevel(Map<String, String> env, String name) throws SettingsException {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return v;
    }
    String level = v.get().toLowerCase(Locale.ROOT);
    if (!Arrays.asList("error", "warn", "info", "debug").contains(level)) {
      throw invalid(name, v.get(), "one of error, warn, info, debug");
    }
    return Optional.of(level);
  }

  private static Optional<Duration> seconds(Map<String, String> env, String name) throws SettingsException {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = SECONDS.matcher(v.get());
    if (!m.matches() || m.group(1).length() > 9) {
      throw invalid(name, v.get(), "a number of seconds such as 10 or 2.5 (at most 3 decimals)");
    }
    return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * 1000)));
  }

  private static VerifyMode verify(Map<String, String> env, String name) throws SettingsException {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return VerifyMode.SIZE;
    }
    return switch (v.get().toLowerCase(Locale.ROOT)) {
      case "size" -> VerifyMode.SIZE;
      case "full" -> VerifyMode.FULL;
      default -> throw invalid(name, v.get(), "size or full");
    };
  }
}
