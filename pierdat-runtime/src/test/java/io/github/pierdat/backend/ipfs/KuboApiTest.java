package io.github.pierdat.backend.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.node.KuboApi;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KuboApi} against a loopback server speaking the few Kubo RPC calls it makes. */
class KuboApiTest {

  @TempDir Path dir;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();

  @Test
  void addStreamsTheFileAsOneMultipartFieldWithBasicAuthAndReturnsTheNodesCid() throws Exception {
    Path file = TestFiles.random(dir, "data.bin", 300_000, 7);
    Cid cid = UnixFsImporter.kuboDefaults().importFile(file);
    try (TestHttpServer node = TestHttpServer.start(ex -> answer(ex, 200,
        "{\"Name\":\"data.bin\",\"Hash\":\"" + cid + "\",\"Size\":\"300000\"}\n")).recordingInto(requests)) {
      KuboApi api = KuboApi.of("http://user:s3cret@" + node.base().getAuthority(), Duration.ofSeconds(5));

      assertEquals(cid, api.add(file, UnixFsImporter.kuboDefaults()));
      assertEquals(node.base().toString(), api.toString(), "no credentials in the API's name");
    }
    assertEquals(1, requests.size());
    assertTrue(requests.get(0).startsWith("POST /api/v0/add?pin=true&"), requests.toString());
    assertTrue(requests.get(0).contains("&chunker=size-262144&cid-version=0&raw-leaves=false"), requests.toString());
    assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("user:s3cret".getBytes(StandardCharsets.UTF_8)),
        authorizations.get(0));
    String body = new String(bodies.get(0), StandardCharsets.ISO_8859_1);
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    assertTrue(body.contains("Content-Disposition: form-data; name=\"file\"; filename=\"data.bin\"\r\n"), body.substring(0, 200));
    assertTrue(body.contains(new String(bytes, StandardCharsets.ISO_8859_1)), "the file's bytes are the field's content");
  }

  @Test
  void pinnedIsTrueForARecursivePinAndFalseWhenTheNodeSaysNotPinned() throws Exception {
    Cid cid = UnixFsImporter.kuboDefaults().importFile(TestFiles.random(dir, "a", 1000, 1));
    try (TestHttpServer pinning = TestHttpServer.start(ex -> answer(ex, 200,
        "{\"Keys\":{\"" + cid + "\":{\"Type\":\"recursive\"}}}"));
        TestHttpServer notPinning = TestHttpServer.start(ex -> answer(ex, 500,
            "{\"Message\":\"path '" + cid + "' is not pinned\",\"Code\":0,\"Type\":\"error\"}"))) {
      assertTrue(KuboApi.of(pinning.base().toString(), Duration.ofSeconds(5)).pinned(cid));
      assertFalse(KuboApi.of(notPinning.base().toString(), Duration.ofSeconds(5)).pinned(cid));
    }
  }

  @Test
  void nodeErrorNamesTheCallTheStatusAndTheNodesMessage() throws Exception {
    try (TestHttpServer node = TestHttpServer.start(ex -> answer(ex, 403, "{\"Message\":\"forbidden here\"}"))) {
      IOException e = assertThrows(IOException.class,
          () -> KuboApi.of(node.base().toString(), Duration.ofSeconds(5)).id());
      assertEquals("IPFS API " + node.base() + " id: HTTP 403 ({\"Message\":\"forbidden here\"})", e.getMessage());
    }
  }

  @Test
  void unreachableNodeSaysSoNamingTheCall() {
    IOException e = assertThrows(IOException.class, () -> KuboApi.of("http://127.0.0.1:9", Duration.ofSeconds(5)).id());
    assertTrue(e.getMessage().startsWith("IPFS API http://127.0.0.1:9 id: cannot reach the node ("), e.getMessage());
  }

  private void answer(HttpExchange ex, int status, String json) throws IOException {
    try (ex) {
      authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      bodies.add(ex.getRequestBody().readAllBytes());
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, bytes.length);
      ex.getResponseBody().write(bytes);
    }
  }
}
