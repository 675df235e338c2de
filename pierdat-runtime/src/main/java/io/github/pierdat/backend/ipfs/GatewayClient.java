package io.github.pierdat.backend.ipfs;

import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.ipfs.IpfsOptions.Endpoint;
import io.github.pierdat.backend.ipfs.IpfsOptions.Mode;
import io.github.pierdat.backend.ipfs.car.CarReader;
import io.github.pierdat.backend.ipfs.cid.Block;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.unixfs.BlockSource;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsFileAssembler;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/**
 * Fetches a UnixFS file from one trustless HTTP gateway: as one CAR stream ({@code ?format=car}) and/or
 * block by block ({@code ?format=raw}), verifying every block against its CID before using it, and writing
 * file bytes to the target as soon as depth-first order allows.
 */
final class GatewayClient {

  static final String CAR = "application/vnd.ipld.car";
  static final String RAW = "application/vnd.ipld.raw";

  private final Endpoint endpoint;
  private final HttpTransport http;
  private final Mode mode;
  private final FetchLog log;

  GatewayClient(Endpoint endpoint, HttpTransport http, Mode mode, FetchLog log) {
    this.endpoint = endpoint;
    this.http = http;
    this.mode = mode;
    this.log = log;
  }

  /** Writes the file {@code root} to {@code target}, continuing after the bytes already there. */
  void fetch(Cid root, FetchTarget target) throws IOException, FetchException {
    long skip = target.position();
    if (mode != Mode.RAW) {
      // Only the blocks for the missing bytes (IPIP-402 entity-bytes); the assembler skips the rest.
      URI uri = uri(root, "?format=car&dag-scope=entity" + (skip > 0 ? "&entity-bytes=" + skip + ":*" : ""));
      String what = endpoint.display() + " GET /ipfs/" + root + "?format=car" + (skip > 0 ? " from byte " + skip : "");
      try (HttpTransport.Response response = http.get(uri, endpoint.credentials(), CAR, what)) {
        int status = response.status();
        if (mode == Mode.AUTO && (status == 400 || status == 406 || status == 415 || status == 501)) {
          log.info("ipfs: " + endpoint.display() + " does not serve CAR (HTTP " + status + "); asking block by block");
        } else {
          if (status != 200) {
            throw HttpTransport.statusError(response, what);
          }
          expectType(response, CAR, what);
          CarReader car = new CarReader(response.body(), endpoint.display());
          BlockSource fallback = mode == Mode.AUTO ? this::rawBlock : null;
          CarBlockSource blocks = new CarBlockSource(car, fallback, endpoint.display(), skip > 0,
              sendsDuplicates(response.contentType()));
          new UnixFsFileAssembler(blocks, CidSeedHasher.feeding(target)).assemble(root, target, skip,
              target::expectSize);
          if (blocks.fetchedSeparately() > 0) {
            log.info("ipfs: " + blocks.fetchedSeparately() + " blocks missing from the CAR of " + endpoint.display()
                + " were fetched one by one");
          }
          return;
        }
      }
    }
    new UnixFsFileAssembler(this::rawBlock, CidSeedHasher.feeding(target)).assemble(root, target, skip,
        target::expectSize);
  }

  /** One block by {@code ?format=raw}, verified. */
  Block rawBlock(Cid cid) throws IOException {
    String what = endpoint.display() + " GET /ipfs/" + cid + "?format=raw";
    try {
      try (HttpTransport.Response response = http.get(uri(cid, "?format=raw"), endpoint.credentials(), RAW, what)) {
        if (response.status() != 200) {
          throw HttpTransport.statusError(response, what);
        }
        expectType(response, RAW, what);
        byte[] bytes = response.body().readNBytes(CarReader.DEFAULT_MAX_SECTION + 1);
        if (bytes.length > CarReader.DEFAULT_MAX_SECTION) {
          throw new FetchException(what + ": the block is larger than " + CarReader.DEFAULT_MAX_SECTION + " bytes");
        }
        return Block.verify(cid, bytes, endpoint.display());
      }
    } catch (FetchException e) {
      // BlockSource speaks IOException; the backend unwraps this to keep the retry decision.
      throw new WrappedFetchException(e);
    }
  }

  /** True when a CAR's Content-Type has {@code dups=y}: every occurrence of a repeated block is sent. */
  static boolean sendsDuplicates(String contentType) {
    String[] parts = contentType.split(";");
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].trim().toLowerCase(Locale.ROOT).replace(" ", "").equals("dups=y")) {
        return true;
      }
    }
    return false;
  }

  private static void expectType(HttpTransport.Response response, String expected, String what) throws FetchException {
    String type = response.contentType();
    String base = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!base.equals(expected)) {
      throw new FetchException(what + ": the gateway answered with Content-Type \""
          + (type.isEmpty() ? "(none)" : type) + "\", expected " + expected
          + "; it is not a trustless gateway (IPIP-402) or ignored the request format: check " + IpfsOptions.GATEWAYS);
    }
  }

  private URI uri(Cid cid, String query) {
    return URI.create(endpoint.base() + "/ipfs/" + cid + query);
  }
}
