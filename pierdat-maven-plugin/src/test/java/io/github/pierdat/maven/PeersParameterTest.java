package io.github.pierdat.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.pierdat.manifest.PierDatCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code <peers>} parameter ({@code pierdat.peers}): checked before anything is fetched, then asked first. */
@MojoTest
class PeersParameterTest {

  private static final String POM = "src/test/resources/unit/fetch/pom.xml";

  @TempDir Path temp;
  private byte[] bytes;
  private String sha256;
  private Path data;
  private Path cache;

  @BeforeEach
  void createData() throws Exception {
    bytes = new byte[64 * 1024];
    new Random(3).nextBytes(bytes);
    data = Files.write(temp.resolve("model.bin"), bytes);
    sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    cache = temp.resolve("cache");
  }

  private void configure(FetchMojo mojo, List<String> peers) throws Exception {
    ArtifactConfig artifact = new ArtifactConfig();
    artifact.setPath("/data/model.bin");
    artifact.setSha256(sha256);
    artifact.setSources(List.of(data.toUri().toString()));
    setVariableValueToObject(mojo, "artifacts", List.of(artifact));
    setVariableValueToObject(mojo, "cacheDirectory", cache.toFile());
    setVariableValueToObject(mojo, "outputDirectory", temp.resolve("out").toFile());
    setVariableValueToObject(mojo, "peers", peers);
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void peerWithoutPortNamesTheParameterTheValueAndTheForms(FetchMojo mojo) throws Exception {
    configure(mojo, List.of("seeder.local"));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(), "<peers> (pierdat.peers)", "<peer> 'seeder.local' is not a peer",
        "it has no :port", "expected host:port, [ipv6]:port or dns:name:port");
    assertFalse(Files.exists(cache), "nothing fetched");
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void everyMalformedEntryIsReportedAtOnceIncludingCommaLists(FetchMojo mojo) throws Exception {
    configure(mojo, List.of("10.0.0.7:7780", "::1:7780", "a:1, b:99999", "http://peer:7780"));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(), "3 problems",
        "<peer> '::1:7780' is not a peer: an IPv6 address needs brackets, as in [::1]:7780",
        "<peer> 'b:99999' is not a peer: '99999' is not a port from 1 to 65535",
        "<peer> 'http://peer:7780' is not a peer: a URL is not a peer");
    assertFalse(e.getMessage().contains("'10.0.0.7:7780'"), e.getMessage());
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void configuredPeerIsAskedBeforeTheDeclaredSource(FetchMojo mojo) throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    HttpServer peer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    peer.createContext("/", exchange -> {
      asked.add(exchange.getRequestURI().getPath());
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    peer.start();
    List<String> log = new CopyOnWriteArrayList<>();
    mojo.setLog(new SystemStreamLog() {
      @Override
      public void info(CharSequence content) {
        log.add(content.toString());
      }
    });
    int port = peer.getAddress().getPort();
    try {
      configure(mojo, List.of("127.0.0.1:" + port));

      mojo.execute();
    } finally {
      peer.stop(0);
    }

    assertEquals(List.of("/artifacts/" + sha256), asked);
    assertTrue(log.stream().anyMatch(l -> l.startsWith("[pierdat] model.bin: 64.0 KiB from peer 127.0.0.1:" + port)),
        String.join("\n", log));
    assertEquals(List.of(data.toUri().toString()),
        PierDatCodec.read(temp.resolve("out/pier.dat")).artifacts().get(0).sources(), "peers are not recorded");
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void noPeersByDefault(FetchMojo mojo) throws Exception {
    configure(mojo, List.of());

    mojo.execute();

    assertTrue(Files.exists(cache.resolve("sha256").resolve(sha256)));
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), () -> "expected '" + part + "' in: " + text);
    }
  }
}
