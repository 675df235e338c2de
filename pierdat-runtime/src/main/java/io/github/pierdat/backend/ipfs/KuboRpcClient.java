package io.github.pierdat.backend.ipfs;

import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.ipfs.IpfsOptions.Endpoint;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches a file through a Kubo-compatible RPC API ({@code POST <api>/api/v0/cat?arg=<cid>}). {@code cat}
 * returns plain bytes with no proof, so they are verified by recomputing the CID while they stream in,
 * with the import parameters that can produce that CID (kubo's defaults: 256 KiB chunks, balanced DAG of
 * 174 links; dag-pb leaves for CIDv0, raw or dag-pb leaves for CIDv1). A file added with other parameters
 * (another chunker, trickle layout) cannot be verified this way: the fetch fails with a clear error and the
 * target is reset; use a trustless gateway for it.
 */
final class KuboRpcClient {

  private final Endpoint endpoint;
  private final HttpTransport http;

  KuboRpcClient(Endpoint endpoint, HttpTransport http) {
    this.endpoint = endpoint;
    this.http = http;
  }

  void fetch(Cid root, FetchTarget target) throws IOException, FetchException {
    if (target.position() > 0) {
      // The CID covers every byte, and bytes already in the target cannot be read back: start over.
      target.reset();
    }
    String what = endpoint.display() + " POST /api/v0/cat?arg=" + root;
    URI uri = URI.create(endpoint.base() + "/api/v0/cat?arg=" + root);
    HttpRequest request = http.request(uri, endpoint.credentials())
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    List<UnixFsImporter> candidates = UnixFsImporter.candidatesFor(root);
    List<UnixFsImporter.Session> sessions = new ArrayList<>();
    for (UnixFsImporter importer : candidates) {
      sessions.add(importer.newSession(null));
    }
    try (HttpTransport.Response response = http.send(request, what)) {
      if (response.status() != 200) {
        throw HttpTransport.statusError(response, what);
      }
      copy(response.body(), target, sessions);
    } catch (IOException | RuntimeException e) {
      // Unverified bytes must not stay behind for the next source to resume from.
      target.reset();
      throw e;
    }
    List<String> got = new ArrayList<>();
    for (int i = 0; i < sessions.size(); i++) {
      Cid cid = sessions.get(i).finish();
      if (cid.multihash().equals(root.multihash())) {
        return;
      }
      got.add(cid + " (" + candidates.get(i).describe() + ")");
    }
    long size = sessions.get(0).size();
    target.reset();
    throw new FetchException(what + ": the " + size + " bytes received do not hash to " + root + " with kubo's"
        + " default import parameters; they hash to " + String.join(", ", got) + ". RPC output is verified by"
        + " recomputing the CID, so either the node sent other data or the file was added with non-default"
        + " parameters (chunker, trickle layout); use a trustless gateway (" + IpfsOptions.GATEWAYS + ") for it");
  }

  private static void copy(InputStream in, FetchTarget target, List<UnixFsImporter.Session> sessions)
      throws IOException {
    byte[] buf = new byte[1 << 20];
    int n;
    while ((n = in.read(buf)) > 0) {
      for (UnixFsImporter.Session session : sessions) {
        session.update(buf, 0, n);
      }
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
      while (bb.hasRemaining()) {
        target.write(bb);
      }
    }
  }
}
