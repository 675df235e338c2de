package io.github.pierdat.image;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real OCI registry (Debian's {@code docker-registry}, distribution 2.8) on 127.0.0.1 and a free port,
 * without auth, storing into a temp directory; started before the test class, stopped by its PID after.
 */
final class RegistryServer implements BeforeAllCallback, AfterAllCallback {

  static final Path BINARY = Path.of("/usr/bin/docker-registry");

  private Path directory;
  private Path logFile;
  private Process process;
  private int port;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (!Files.isExecutable(BINARY)) {
      fail("docker-registry not found: apt-get install -y docker-registry");
    }
    directory = Files.createTempDirectory("pierdat-registry");
    logFile = directory.resolve("registry.log");
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path config = directory.resolve("config.yml");
    Files.writeString(config, String.join("\n",
        "version: 0.1",
        "log:",
        "  level: info",
        "  accesslog:",
        "    disabled: false",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + directory.resolve("storage"),
        "  delete:",
        "    enabled: true",
        "http:",
        "  addr: 127.0.0.1:" + port,
        ""));
    process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(logFile.toFile())
        .start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("docker-registry exited with " + process.exitValue() + ": " + log());
      }
      try {
        HttpResponse<Void> response = http.send(
            HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    fail("docker-registry did not answer GET /v2/ within 15 s: " + log());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process != null) {
      ProcessHandle handle = process.toHandle();
      handle.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        handle.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (directory != null) {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /** {@code 127.0.0.1:<port>}. */
  String address() {
    return "127.0.0.1:" + port;
  }

  /** The registry's log so far (one line per request, among others). */
  String log() throws IOException {
    return Files.readString(logFile, StandardCharsets.UTF_8);
  }
}
