package io.github.pierdat.backend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.fetch.ArtifactCache;
import io.github.pierdat.fetch.ArtifactFetchException;
import io.github.pierdat.fetch.ArtifactFetcher;
import io.github.pierdat.fetch.ArtifactRequest;
import io.github.pierdat.fetch.FetchedArtifact;
import io.github.pierdat.hash.Sha256;
import io.github.pierdat.testing.RecordingLog;
import io.github.pierdat.testing.TestOrigin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS against a real TLS server with a certificate made by keytool for 127.0.0.1. */
class HttpBackendTlsTest {

  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final byte[] DATA = TestOrigin.randomBytes(256 * 1024, 11);
  private static final String SHA = Sha256.hex(Sha256.newDigest().digest(DATA));

  @TempDir static Path keys;
  private static HttpsServer server;
  private static TestOrigin plain;
  private static SSLContext trusting;

  @TempDir Path root;
  private final RecordingLog log = new RecordingLog();

  @BeforeAll
  static void startServer() throws Exception {
    Path keystore = keys.resolve("origin.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "origin", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
        .redirectErrorStream(true).redirectOutput(keys.resolve("keytool.log").toFile()).start();
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0,
        () -> "keytool failed: " + read(keys.resolve("keytool.log")));
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tmf.getTrustManagers(), null);

    plain = TestOrigin.start().serve("/model.bin", DATA);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.createContext("/model.bin", exchange -> {
      exchange.sendResponseHeaders(200, DATA.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(DATA);
      }
    });
    server.createContext("/downgrade", exchange -> {
      exchange.getResponseHeaders().add("Location", plain.uri("/model.bin").toString());
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.stop(0);
    plain.close();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static URI https(String path) {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private FetchContext context() {
    return FetchContext.builder().connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(5))
        .maxAttempts(3).initialBackoff(Duration.ofMillis(10)).log(log).build();
  }

  private ArtifactRequest request(URI source) {
    return new ArtifactRequest(null, "/data/model.bin", SHA, List.of(source));
  }

  @Test
  void fetchesOverTlsWhenTheCertificateIsTrusted() throws Exception {
    ArtifactFetcher fetcher = new ArtifactFetcher(ArtifactCache.at(root), Backends.of(new HttpBackend(trusting)));

    FetchedArtifact artifact = fetcher.fetch(request(https("/model.bin")), context());

    assertEquals(SHA, Sha256.of(artifact.file()));
  }

  @Test
  void untrustedCertificateIsATlsFailureAndNotRetried() {
    ArtifactFetcher fetcher = new ArtifactFetcher(ArtifactCache.at(root), Backends.of(new HttpBackend()));

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher.fetch(request(https("/model.bin")), context()));

    assertTrue(e.getMessage().contains("TLS failure with 127.0.0.1:" + server.getAddress().getPort()), e.getMessage());
    assertFalse(e.getMessage().contains("attempts"), e.getMessage());
    assertFalse(log.text().contains("retrying"), log.text());
  }

  @Test
  void refusesARedirectFromHttpsToPlainHttp() {
    ArtifactFetcher fetcher = new ArtifactFetcher(ArtifactCache.at(root), Backends.of(new HttpBackend(trusting)));

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher.fetch(request(https("/downgrade")), context()));

    assertTrue(e.getMessage().contains("refusing the redirect from " + https("/downgrade") + " to plain http "
        + plain.uri("/model.bin")), e.getMessage());
    assertEquals(0, plain.requests().size());
  }
}
