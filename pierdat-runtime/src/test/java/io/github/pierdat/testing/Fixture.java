package io.github.pierdat.testing;

import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import io.github.pierdat.manifest.SeedEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test data: artifact files with known sha256, pier.dat files, free ports, raw HTTP exchanges. */
public final class Fixture {

  private Fixture() {}

  /** Writes {@code size} pseudo-random bytes (seeded) to {@code file}. */
  public static byte[] randomFile(Path file, int size, long seed) throws IOException {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    return bytes;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The pier.dat entry for {@code file} (holding {@code bytes}), seeded by http. */
  public static ArtifactEntry artifact(Path file, byte[] bytes) {
    String sha = sha256(bytes);
    return new ArtifactEntry(file.getFileName().toString(), file.toString(), bytes.length, sha,
        List.of("https://example.org/" + file.getFileName()),
        List.of(new SeedEntry("http", Map.of("path", "/artifacts/" + sha)),
            new SeedEntry("bittorrent", Map.of("infohash", "0123456789abcdef0123456789abcdef01234567"))));
  }

  /** Writes a pier.dat with these artifacts and entrypoint, bound to 127.0.0.1. */
  public static Path pierDat(Path dir, List<String> entrypoint, List<ArtifactEntry> artifacts) throws IOException {
    AgentSettings settings = new AgentSettings(AgentSettings.DEFAULT_HTTP_PORT, AgentSettings.DEFAULT_BT_PORT,
        "127.0.0.1", null, 0, null, null, null, null);
    PierDat pierDat = new PierDat(PierDat.CURRENT_VERSION, settings, new AppCommand(entrypoint, List.of(), null), artifacts);
    Path file = dir.resolve("pier.dat");
    PierDatCodec.write(pierDat, file);
    return file;
  }

  /** A port that was free a moment ago on 127.0.0.1. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Sends {@code request} bytes as they are and returns everything the server sends until it closes. */
  public static byte[] rawExchange(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      return in.readAllBytes();
    }
  }

  public static byte[] rawExchange(int port, String request) throws IOException {
    return rawExchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }
}
