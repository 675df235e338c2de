package io.github.pierdat.it.ipfs;

import io.github.pierdat.it.fixture.ItEnvironment;
import java.io.InputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shaded agent jar this reactor built (the one the plugin under test puts into images) running {@code run} (seed until stopped) as a process on the host, with a given pier.dat
 * and {@code PIERDAT_*} environment. Stopped by PID.
 */
final class HostAgent implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final int httpPort;

  private HostAgent(Process process, Path log, int httpPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
  }

  static HostAgent start(Path pierDat, int httpPort, Map<String, String> env) throws Exception {
    Path jar = agentJar(pierDat.resolveSibling("pierdat-agent.jar"));
    List<String> command = new ArrayList<>(List.of(ItEnvironment.javaHome().resolve("bin/java").toString(),
        "-XX:+UseSerialGC", "-jar", jar.toString(), "run"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Path log = pierDat.resolveSibling("agent.log");
    builder.redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("PIERDAT_"));
    builder.environment().put("PIERDAT_CONFIG", pierDat.toString());
    builder.environment().put("PIERDAT_HTTP_PORT", Integer.toString(httpPort));
    builder.environment().put("PIERDAT_LOG", "info");
    builder.environment().putAll(env);
    HostAgent agent = new HostAgent(builder.start(), log, httpPort);
    agent.awaitHealthy();
    return agent;
  }

  /** Copies the agent jar the plugin under test puts into every image (META-INF/pierdat) to {@code target}. */
  private static Path agentJar(Path target) throws IOException {
    try (InputStream in = HostAgent.class.getResourceAsStream("/META-INF/pierdat/pierdat-agent.jar")) {
      if (in == null) {
        throw new IllegalStateException("META-INF/pierdat/pierdat-agent.jar is not on the test class path; the"
            + " pierdat-maven-plugin dependency carries it: run the ITs through ./mvnw -pl it -am verify");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  /** The agent's HTTP seeder, e.g. {@code http://127.0.0.1:7780}. */
  String httpBase() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** The agent's output so far. */
  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  private void awaitHealthy() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(httpBase() + "/healthz"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("the agent did not serve /healthz within 30 s:\n" + log());
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
