package io.github.pierdat.it.ipfs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pierdat.it.fixture.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real js-ipfs 0.66.1 daemon ({@code jsipfs}, a Kubo-compatible RPC API) on 127.0.0.1: its own repository
 * made with {@code init --profile test} (no bootstrap peers, no MDNS), the RPC API on a fixed free port
 * (so it comes back at the same address after {@link #restartEmpty()}), swarm and gateway on free ports.
 * Stopped by PID.
 */
final class JsIpfsNode implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SWARM = Pattern.compile("Swarm listening on (/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/\\S+)");
  private static final Duration READY = Duration.ofSeconds(90);

  private final Path tools;
  private final Path repo;
  private final Path log;
  private final int apiPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process process;
  private String swarmAddress;

  private JsIpfsNode(Path tools, Path dir) {
    this.tools = tools;
    this.repo = dir.resolve("repo");
    this.log = dir.resolve("daemon.log");
    this.apiPort = FreePort.find();
  }

  /** Initializes a fresh repository under {@code dir} and starts the daemon. */
  static JsIpfsNode start(Path dir) throws Exception {
    // Without optional dependencies: js-ipfs's WebRTC extras need a tarball from outside the npm registry
    // (its lockfile entry is a placeholder that keeps npm ci's sync check happy; it is never fetched).
    JsIpfsNode node = new JsIpfsNode(NpmTools.installed("ipfs", true), Files.createDirectories(dir));
    node.initAndStart();
    return node;
  }

  /** The RPC API's base URL, e.g. {@code http://127.0.0.1:5001}. */
  String api() {
    return "http://127.0.0.1:" + apiPort;
  }

  /** The swarm address with the peer ID, for {@code swarm/connect}. */
  String swarmAddress() {
    return swarmAddress;
  }

  /** Stops the daemon, deletes its repository (pins and blocks) and starts it again at the same API address. */
  void restartEmpty() throws Exception {
    stop();
    deleteRepo();
    initAndStart();
  }

  /** Whether {@code cid} is pinned recursively. */
  boolean pinned(String cid) throws Exception {
    HttpResponse<String> r = post("pin/ls?type=recursive&arg=" + cid, HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 && JSON.readTree(r.body()).path("Keys").has(cid);
  }

  /** Connects to another node's swarm address. */
  void swarmConnect(String address) throws Exception {
    HttpResponse<String> r = post("swarm/connect?arg=" + address, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("swarm/connect " + address + ": HTTP " + r.statusCode() + " " + r.body());
    }
  }

  /** The sha256 of {@code /api/v0/cat?arg=<cid>}, streamed. */
  String catSha256(String cid) throws Exception {
    HttpResponse<InputStream> r = post("cat?arg=" + cid, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      if (r.statusCode() != 200) {
        throw new AssertionError("cat " + cid + ": HTTP " + r.statusCode() + " "
            + new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    }
  }

  private <T> HttpResponse<T> post(String path, HttpResponse.BodyHandler<T> handler) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(api() + "/api/v0/" + path)).timeout(Duration.ofMinutes(2))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), handler);
  }

  private void initAndStart() throws Exception {
    Path jsipfs = tools.resolve("node_modules/.bin/jsipfs");
    Process init = command(jsipfs.toString(), "init", "--profile", "test").redirectOutput(log.toFile()).start();
    if (!init.waitFor(2, TimeUnit.MINUTES) || init.exitValue() != 0) {
      init.destroyForcibly();
      throw new IllegalStateException("jsipfs init failed:\n" + Files.readString(log));
    }
    Path config = repo.resolve("config");
    ObjectNode root = (ObjectNode) JSON.readTree(config.toFile());
    ObjectNode addresses = (ObjectNode) root.get("Addresses");
    addresses.putArray("Swarm").add("/ip4/127.0.0.1/tcp/0");
    addresses.put("API", "/ip4/127.0.0.1/tcp/" + apiPort);
    addresses.put("Gateway", "/ip4/127.0.0.1/tcp/0");
    addresses.put("RPC", "/ip4/127.0.0.1/tcp/0");
    JSON.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), root);
    process = command(jsipfs.toString(), "daemon").redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + READY.toNanos();
    while (true) {
      String out = Files.readString(log, StandardCharsets.UTF_8);
      Matcher m = SWARM.matcher(out);
      if (out.contains("Daemon is ready") && m.find()) {
        swarmAddress = m.group(1);
        return;
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        stop();
        throw new IllegalStateException("jsipfs daemon did not become ready within " + READY + ":\n" + out);
      }
      Thread.sleep(200);
    }
  }

  private ProcessBuilder command(String... command) {
    ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
    builder.environment().put("IPFS_PATH", repo.toString());
    return builder;
  }

  private void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      long pid = process.pid();
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
    process = null;
  }

  private void deleteRepo() throws IOException {
    if (Files.exists(repo)) {
      try (var paths = Files.walk(repo)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** The daemon's output so far (for failure messages). */
  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
