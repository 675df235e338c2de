package io.github.pierdat.cli;

import io.github.pierdat.agent.settings.EnvOverrides;
import io.github.pierdat.agent.settings.SettingsException;
import io.github.pierdat.json.Json;
import io.github.pierdat.json.JsonException;
import io.github.pierdat.json.JsonFields;
import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.manifest.PierDatCodec;
import io.github.pierdat.manifest.PierDatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code status}: asks the agent running in this container (its HTTP seeder's {@code GET /}) for its
 * artifacts and seeders and prints them. Exit 0 when it answered, 1 when it cannot be reached. Without
 * {@code --host}/{@code --port} it uses the agent's own settings (pier.dat, then {@code PIERDAT_*}): its HTTP
 * port, and its bind address unless that is a wildcard (then 127.0.0.1).
 */
final class StatusCommand {

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  StatusCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  int run(List<String> args) {
    String host = null;
    Integer port = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("--host") || a.equals("--port")) && i + 1 < args.size()) {
        String v = args.get(++i);
        if (a.equals("--host")) {
          host = v;
        } else {
          try {
            port = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            return Main.usageError(err, "--port '" + v + "' is not a port number from 1 to 65535");
          }
        }
      } else {
        return Main.usageError(err, "unknown option " + a + " for status");
      }
    }
    EnvOverrides overrides;
    try {
      overrides = EnvOverrides.parse(env);
    } catch (SettingsException e) {
      err.println("pierdat: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    if (port == null || host == null) {
      AgentSettings settings = overrides.applyTo(configuredSettings(overrides));
      port = port == null ? settings.httpPort() : port;
      host = host == null ? reachableAddress(settings.bind()) : host;
    }
    String where = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
    byte[] answer;
    try {
      answer = fetch(where);
    } catch (IOException e) {
      err.println("pierdat: cannot reach the agent at " + where + ": " + e.getMessage()
          + " (is it running here, and is PIERDAT_HTTP_PORT/--port right?)");
      return 1;
    }
    try {
      print(where, JsonFields.root(Json.parse(answer)));
    } catch (JsonException e) {
      err.println("pierdat: the answer of " + where + " is not a pierdat status document: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  /** The settings in pier.dat, or the defaults when it cannot be read (status still tries the default port). */
  private static AgentSettings configuredSettings(EnvOverrides overrides) {
    try {
      return PierDatCodec.read(overrides.config()).settings();
    } catch (PierDatException e) {
      return AgentSettings.defaults();
    }
  }

  /**
   * Where the agent listening on {@code bind} can be reached from inside its container: loopback for a
   * wildcard address, else that very address (an agent bound to one interface, e.g. a pod IP or 127.0.0.2,
   * does not answer on 127.0.0.1).
   */
  static String reachableAddress(String bind) {
    String b = bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind;
    return b.equals("0.0.0.0") || b.equals("::") || b.equals("0:0:0:0:0:0:0:0") ? "127.0.0.1" : b;
  }

  private static byte[] fetch(String where) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(where).openConnection();
    connection.setConnectTimeout(3000);
    connection.setReadTimeout(5000);
    int code = connection.getResponseCode();
    if (code != 200) {
      throw new IOException("it answered HTTP " + code);
    }
    try (InputStream in = connection.getInputStream()) {
      return in.readAllBytes();
    } finally {
      connection.disconnect();
    }
  }

  private void print(String where, JsonFields doc) {
    out.println("pierdat agent " + text(doc, "pierdat", "?") + " at " + where);
    out.println("artifacts:");
    for (JsonFields a : doc.objects("artifacts")) {
      List<String> seeds = new ArrayList<>();
      a.objects("seeds").forEach(s -> seeds.add(text(s, "backend", "")));
      out.printf("  %-24s %s  %s  sha256:%s  seeds: %s%n", text(a, "name", ""), text(a, "path", ""),
          size(a.optionalInteger("size", 0, Long.MAX_VALUE, 0)), text(a, "sha256", ""),
          seeds.isEmpty() ? "-" : String.join(", ", seeds));
    }
    out.println("seeders:");
    for (JsonFields s : doc.objects("seeders")) {
      String detail = text(s, "detail", "");
      out.printf("  %-12s %-9s restarts=%d%s%n", text(s, "backend", ""), text(s, "state", ""),
          s.optionalInteger("restarts", 0, Long.MAX_VALUE, 0), detail.isEmpty() ? "" : "  (" + detail + ")");
    }
  }

  private static String text(JsonFields object, String name, String absent) {
    String value = object.optionalString(name);
    return value == null ? absent : value;
  }

  private static String size(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format("%.1f %s", v, units[u]);
  }
}
