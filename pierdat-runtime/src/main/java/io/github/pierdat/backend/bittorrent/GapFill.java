package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.backend.RandomAccessTarget;
import io.github.pierdat.backend.http.HttpBackend;
import io.github.pierdat.manifest.Sources;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Completes a partial swarm download from HTTP origins: every piece already in the file whose SHA-1
 * matches the torrent is kept; the others are fetched with range requests (consecutive missing pieces in
 * one request) and checked the same way. A piece an origin gets wrong is asked of the next origin.
 */
final class GapFill {

  /** One HTTP origin and the context to fetch from it (credentials only for the artifact's own sources). */
  record Origin(URI uri, FetchContext context) {}

  /** What the fill did: pieces kept from the swarm, and bytes per origin. */
  record Result(int keptPieces, long keptBytes, int pieces, Map<String, Long> bytesByOrigin) {}

  private final PieceLayout layout;
  private final RandomAccessTarget file;
  private final FetchLog log;
  private final HttpBackend http = new HttpBackend();

  GapFill(PieceLayout layout, RandomAccessTarget file, FetchLog log) {
    this.layout = layout;
    this.file = file;
    this.log = log;
  }

  Result fill(List<Origin> origins) throws FetchException, IOException {
    BitSet missing = new BitSet(layout.count());
    for (int piece = 0; piece < layout.count(); piece++) {
      if (!verified(piece)) {
        missing.set(piece);
      }
    }
    int kept = layout.count() - missing.cardinality();
    long keptBytes = 0;
    for (int piece = missing.nextClearBit(0); piece < layout.count(); piece = missing.nextClearBit(piece + 1)) {
      keptBytes += layout.end(piece) - layout.start(piece);
    }
    Map<String, Long> bytesByOrigin = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    for (Origin origin : origins) {
      if (missing.isEmpty()) {
        break;
      }
      String shown = Sources.redact(origin.uri());
      try {
        for (int first = missing.nextSetBit(0); first >= 0; ) {
          int last = missing.nextClearBit(first);
          RangeTarget range = new RangeTarget(file, layout.start(first), layout.end(last - 1));
          try {
            http.fetch(origin.uri(), range, origin.context());
          } finally {
            if (range.written() > 0) {
              bytesByOrigin.merge(shown, range.written(), Long::sum);
            }
          }
          for (int piece = first; piece < last; piece++) {
            if (verified(piece)) {
              missing.clear(piece);
            }
          }
          first = missing.nextSetBit(last);
        }
        if (!missing.isEmpty()) {
          failures.add(shown + ": " + missing.cardinality() + " piece(s) did not match the torrent");
        }
      } catch (FetchException | IOException e) {
        failures.add(shown + ": " + e.getMessage());
        log.info("[pierdat] filling missing pieces from " + shown + " failed: " + e.getMessage());
      }
    }
    if (file.size() > layout.size()) {
      file.truncate(layout.size());
    }
    if (!missing.isEmpty()) {
      throw new FetchException(missing.cardinality() + " of " + layout.count() + " pieces are still missing after"
          + " the swarm and the origins (" + (failures.isEmpty() ? "no http(s) origin to ask"
          : String.join("; ", failures)) + ")");
    }
    return new Result(kept, keptBytes, layout.count(), bytesByOrigin);
  }

  private boolean verified(int piece) throws IOException {
    long start = layout.start(piece);
    int length = (int) (layout.end(piece) - start);
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      int n = file.read(buffer, start + buffer.position());
      if (n < 0) {
        return false;
      }
    }
    return Arrays.equals(sha1().digest(buffer.array()), layout.hash(piece));
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}
