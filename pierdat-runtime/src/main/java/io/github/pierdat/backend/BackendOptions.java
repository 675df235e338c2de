package io.github.pierdat.backend;

import java.util.Map;
import java.util.TreeMap;

/**
 * Backend-specific settings ({@link FetchContext#options()}) from properties: {@code pierdat.<backend>.<name>}
 * becomes {@code <backend>.<name>}, e.g. {@code -Dpierdat.ipfs.gateways=http://127.0.0.1:8080} the option
 * {@code ipfs.gateways}. Properties without a second dot ({@code pierdat.retries}) are the plugin's or CLI's
 * own settings and are left out. The Maven plugin reads project, system and user properties; the CLI the
 * JVM's system properties.
 */
public final class BackendOptions {

  /** The prefix of every property that becomes a backend option. */
  public static final String PREFIX = "pierdat.";

  private BackendOptions() {}

  /** The options in {@code sources}, a later source overriding an earlier one; sorted by key. */
  @SafeVarargs
  public static Map<String, String> fromProperties(Map<?, ?>... sources) {
    Map<String, String> options = new TreeMap<>();
    for (Map<?, ?> source : sources) {
      if (source == null) {
        continue;
      }
      source.forEach((key, value) -> {
        if (key instanceof String name && value instanceof String text && name.startsWith(PREFIX)) {
          String option = name.substring(PREFIX.length());
          int dot = option.indexOf('.');
          if (dot > 0 && dot < option.length() - 1) {
            options.put(option, text);
          }
        }
      });
    }
    return options;
  }
}
