package io.github.pierdat.backend.ipfs;

import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.ipfs.IpfsOptions.Endpoint;
import io.github.pierdat.backend.ipfs.car.CarReader;
import io.github.pierdat.backend.ipfs.cid.Block;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsFileAssembler;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches a file through a Kubo-compatible RPC API. First {@code POST <api>/api/v0/dag/export?arg=<cid>},
 * a CAR of the DAG whose every block is verified (any import parameters work; blocks it lacks come from
 * {@code /api/v0/block/get}). When the API has no {@code dag/export} (HTTP 404, 405, 501), then
 * {@code POST <api>/api/v0/cat?arg=<cid>}: plain bytes with no proof, verified by recomputing the CID while they stream in,
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
    if (export(root, target)) {
      return;
    }
    cat(root, target);
  }

  /** Fetches by {@code dag/export}; false when the API does not have it. */
  private boolean export(Cid root, FetchTarget target) throws IOException, FetchException {
    long skip = target.position();
    String what = endpoint.display() + " POST /api/v0/dag/export?arg=" + root;
    URI uri = URI.create(endpoint.base() + "/api/v0/dag/export?arg=" + root + "&progress=false");
    try (HttpTransport.Response response = http.post(uri, endpoint.credentials(), what)) {
      int status = response.status();
      if (status == 404 || status == 405 || status == 501) {
        return false;
      }
      if (status != 200) {
        throw HttpTransport.statusError(response, what);
      }
      CarReader car = new CarReader(response.body(), endpoint.display());
      CarBlockSource blocks = new CarBlockSource(car, this::block, endpoint.display(), false, false);
      new UnixFsFileAssembler(blocks, CidSeedHasher.feeding(target)).assemble(root, target, skip,
          target::expectSize);
      return true;
    }
  }

  /** One block by {@code block/get}, verified. */
  private Block block(Cid cid) throws IOException {
    String what = endpoint.display() + " POST /api/v0/block/get?arg=" + cid;
    URI uri = URI.create(endpoint.base() + "/api/v0/block/get?arg=" + cid);
    try (HttpTransport.Response response = http.post(uri, endpoint.credentials(), what)) {
      if (response.status() != 200) {
        throw HttpTransport.statusError(response, what);
      }
      byte[] bytes = response.body().readNBytes(CarReader.DEFAULT_MAX_SECTION + 1);
      if (bytes.length > CarReader.DEFAULT_MAX_SECTION) {
        throw new FetchException(what + ": the block is larger than " + CarReader.DEFAULT_MAX_SECTION + " bytes");
      }
      return Block.verify(cid, bytes, endpoint.display());
    } catch (FetchException e) {
      throw new WrappedFetchException(e);
    }
  }

  private void cat(Cid root, FetchTarget target) throws IOException, FetchException {
    if (target.position() > 0) {
      // The CID covers every byte, and bytes already in the target cannot be read back: start over.
      target.reset();
    }
    String what = endpoint.display() + " POST /api/v0/cat?arg=" + root;
    URI uri = URI.create(endpoint.base() + "/api/v0/cat?arg=" + root);
    List<UnixFsImporter> candidates = UnixFsImporter.candidatesFor(root);
    List<UnixFsImporter.Session> sessions = new ArrayList<>();
    for (UnixFsImporter importer : candidates) {
      sessions.add(importer.newSession(null));
    }
    try (HttpTransport.Response response = http.post(uri, endpoint.credentials(), what)) {
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
