package io.github.pierdat.cli;

import io.github.pierdat.hash.Sha256;
import io.github.pierdat.peer.PeerAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line of {@code pierdat get}, checked: each option's value, the sources and the destination.
 *
 * @param sha256 the expected sha256 (lowercase), or null when not given
 * @param name the artifact's name, or null for DEST's file name
 * @param cache the cache directory given with {@code --cache}, or null
 * @param noCache true for {@code --no-cache}: a temporary cache, deleted afterwards
 * @param offline true for {@code -o/--offline}: the cache only
 * @param copy true for {@code --copy}: DEST is a private copy, never a hard link to the cache entry
 * @param attempts attempts per source ({@code --retries})
 * @param connectTimeout {@code --connect-timeout}
 * @param readTimeout {@code --read-timeout}
 * @param peers {@code --peer} values, in order
 * @param verbose true for {@code -v/--verbose}
 * @param sources the SRC arguments as given
 * @param dest the DEST argument as given
 */
record GetOptions(
    String sha256,
    String name,
    Path cache,
    boolean noCache,
    boolean offline,
    boolean copy,
    int attempts,
    Duration connectTimeout,
    Duration readTimeout,
    List<PeerAddress> peers,
    boolean verbose,
    List<String> sources,
    String dest) {

  static final int DEFAULT_ATTEMPTS = 4;
  static final int DEFAULT_CONNECT_TIMEOUT = 20;
  static final int DEFAULT_READ_TIMEOUT = 60;

  /** True when the command line only asks for help. */
  static boolean wantsHelp(List<String> args) {
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("-h") || a.equals("--help")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses the arguments after {@code get}. Options may come before, between or after the operands; after
   * {@code --} everything is an operand.
   *
   * @throws UsageException naming the argument that is wrong and what is expected
   */
  static GetOptions parse(List<String> args) throws UsageException {
    String sha256 = null;
    String name = null;
    Path cache = null;
    boolean noCache = false;
    boolean offline = false;
    boolean copy = false;
    int attempts = DEFAULT_ATTEMPTS;
    Duration connect = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT);
    Duration read = Duration.ofSeconds(DEFAULT_READ_TIMEOUT);
    List<PeerAddress> peers = new ArrayList<>();
    boolean verbose = false;
    List<String> operands = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
        operands.add(arg);
        continue;
      }
      String option = arg;
      String inline = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        option = arg.substring(0, equals);
        inline = arg.substring(equals + 1);
      }
      switch (option) {
        case "--" -> optionsEnded = true;
        case "-o", "--offline" -> offline = flag(option, inline);
        case "--no-cache" -> noCache = flag(option, inline);
        case "--copy" -> copy = flag(option, inline);
        case "-v", "--verbose" -> verbose = flag(option, inline);
        default -> {
          String value;
          if (inline != null) {
            value = inline;
          } else if (i + 1 < args.size()) {
            value = args.get(++i);
          } else {
            throw new UsageException(known(option)
                ? option + " needs a value; see pierdat get --help"
                : "unknown option " + option + " for get; see pierdat get --help");
          }
          switch (option) {
            case "--sha256" -> sha256 = sha256(value);
            case "--name" -> name = name(value);
            case "--cache" -> cache = cache(value);
            case "--retries" -> attempts = number(option, value, 1, 100, "attempts per source");
            case "--connect-timeout" -> connect = Duration.ofSeconds(number(option, value, 1, 3600, "seconds"));
            case "--read-timeout" -> read = Duration.ofSeconds(number(option, value, 1, 86400, "seconds"));
            case "--peer" -> peers.addAll(peers(value));
            default -> throw new UsageException("unknown option " + option + " for get; see pierdat get --help");
          }
        }
      }
    }
    if (operands.size() < 2) {
      throw new UsageException("get needs at least one SRC and a DEST, e.g. pierdat get --sha256 HEX "
          + "https://example.org/model.bin /data/model.bin (got " + operands.size() + " argument"
          + (operands.size() == 1 ? "" : "s") + ")");
    }
    if (cache != null && noCache) {
      throw new UsageException("--cache and --no-cache contradict each other; give one of them");
    }
    if (!peers.isEmpty() && sha256 == null) {
      throw new UsageException("--peer needs --sha256: a peer serves an artifact by its sha256 "
          + "(http://HOST:PORT/artifacts/<sha256>)");
    }
    List<String> sources = List.copyOf(operands.subList(0, operands.size() - 1));
    String dest = operands.get(operands.size() - 1);
    return new GetOptions(sha256, name, cache, noCache, offline, copy, attempts, connect, read, List.copyOf(peers),
        verbose, sources, dest);
  }

  private static boolean known(String option) {
    return List.of("--sha256", "--name", "--cache", "--retries", "--connect-timeout", "--read-timeout", "--peer")
        .contains(option);
  }

  private static boolean flag(String option, String inline) throws UsageException {
    if (inline != null) {
      throw new UsageException(option + " takes no value (got '" + inline + "')");
    }
    return true;
  }

  private static String sha256(String value) throws UsageException {
    if (!Sha256.isValid(value)) {
      throw new UsageException("--sha256 '" + value + "' is not a sha256: expected " + Sha256.HEX_LENGTH
          + " hex digits (0-9, a-f) as sha256sum prints them; it has " + value.length() + " characters");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static List<PeerAddress> peers(String value) throws UsageException {
    List<PeerAddress> peers;
    try {
      peers = PeerAddress.parseList(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--peer " + e.getMessage() + "; expected " + PeerAddress.FORMS);
    }
    if (peers.isEmpty()) {
      throw new UsageException("--peer is empty: expected " + PeerAddress.FORMS);
    }
    return peers;
  }

  private static String name(String value) throws UsageException {
    if (value.isBlank() || value.chars().anyMatch(c -> c < 0x20 || c == '/')) {
      throw new UsageException("--name '" + value + "' is not a name: expected a short label without '/' "
          + "or control characters, e.g. model.bin");
    }
    return value;
  }

  private static Path cache(String value) throws UsageException {
    if (value.isBlank()) {
      throw new UsageException("--cache is empty: expected a directory such as ~/.cache/pierdat");
    }
    return Path.of(value);
  }

  private static int number(String option, String value, int min, int max, String what) throws UsageException {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " '" + value + "' is not valid: expected " + what + " as a whole number"
        + " from " + min + " to " + max);
  }
}
