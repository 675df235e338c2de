package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
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
import java.util.Set;

/**
 * Completes a torrent download that the swarm left unfinished from HTTP origins (web seeds), keeping every
 * piece already verified: the pieces in the target are checked against their sha1, and each run of missing
 * pieces is fetched with one {@code Range} request, verified piece by piece and written in place.
 */
final class WebSeedFill {

  /**
   * The pieces of a single-file torrent.
   *
   * @param pieceLength bytes per piece (the last may be shorter)
   * @param hashes the sha1 of each piece
   * @param size the file's size
   */
  record Pieces(long pieceLength, List<byte[]> hashes, long size) {

    long start(int piece) {
      return piece * pieceLength;
    }

    long length(int piece) {
      return Math.min(pieceLength, size - start(piece));
    }
  }

  /**
   * What the fill did.
   *
   * @param keptPieces pieces that were already verified (from the swarm)
   * @param filledPieces pieces fetched from origins
   * @param bytesByOrigin bytes received from each origin (credentials removed)
   */
  record Result(int keptPieces, int filledPieces, Map<String, Long> bytesByOrigin) {}

  private final Pieces pieces;
  private final RandomAccessTarget target;
  private final FetchContext context;
  private final HttpBackend http = new HttpBackend();

  WebSeedFill(Pieces pieces, RandomAccessTarget target, FetchContext context) {
    this.pieces = pieces;
    this.target = target;
    this.context = context;
  }

  /** The pieces the target already holds intact. */
  BitSet verified() throws IOException {
    BitSet ok = new BitSet(pieces.hashes().size());
    long size = target.size();
    for (int i = 0; i < pieces.hashes().size(); i++) {
      if (pieces.start(i) + pieces.length(i) <= size && Arrays.equals(sha1(readPiece(i)), pieces.hashes().get(i))) {
        ok.set(i);
      }
    }
    return ok;
  }

  /**
   * Fetches every piece not yet verified from {@code origins} (tried in order for each run of missing
   * pieces); {@code withCredentials} are the origins the fetch's credentials belong to.
   *
   * @throws FetchException when some piece could not be had from any origin, naming each origin's failure
   */
  Result fill(List<URI> origins, Set<URI> withCredentials) throws FetchException, IOException {
    BitSet have = verified();
    int kept = have.cardinality();
    int count = pieces.hashes().size();
    target.truncate(pieces.size());
    Map<String, Long> received = new LinkedHashMap<>();
    int filled = 0;
    int first = have.nextClearBit(0);
    while (first < count) {
      int end = have.nextSetBit(first);
      end = end < 0 ? count : end;
      List<String> failures = new ArrayList<>();
      boolean done = false;
      for (URI origin : origins) {
        try {
          received.merge(Sources.redact(origin), fetchRun(origin, first, end, withCredentials.contains(origin)),
              Long::sum);
          done = true;
          break;
        } catch (IOException e) {
          failures.add(Sources.redact(origin) + ": " + e.getMessage());
        }
      }
      if (!done) {
        throw new FetchException("cannot fill pieces " + first + ".." + (end - 1) + " from the origins: "
            + String.join("; ", failures), true, null);
      }
      filled += end - first;
      have.set(first, end);
      first = have.nextClearBit(end);
    }
    return new Result(kept, filled, received);
  }

  /**
   * Fetches pieces {@code first} (inclusive) to {@code end} (exclusive) with one range request through the
   * HTTP backend (its retries, resume, redirects that keep credentials with their origin, proxies, TLS),
   * then checks each piece; returns bytes received.
   */
  private long fetchRun(URI origin, int first, int end, boolean credentials) throws IOException {
    long from = pieces.start(first);
    long to = pieces.start(end - 1) + pieces.length(end - 1);
    RangeTarget range = new RangeTarget(target, from, to);
    FetchContext rangeContext = credentials ? context : context.toBuilder().credentials(null).build();
    try {
      http.fetch(origin, range, rangeContext);
    } catch (FetchException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (range.written() != to - from) {
      throw new IOException("ended after " + range.written() + " of " + (to - from) + " bytes");
    }
    for (int piece = first; piece < end; piece++) {
      if (!Arrays.equals(sha1(readPiece(piece)), pieces.hashes().get(piece))) {
        throw new IOException("piece " + piece + " does not match its sha1 in the torrent");
      }
    }
    return range.written();
  }

  private byte[] readPiece(int piece) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) pieces.length(piece));
    long position = pieces.start(piece);
    while (buffer.hasRemaining()) {
      int n = target.read(buffer, position);
      if (n < 0) {
        break;
      }
      position += n;
    }
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  private static byte[] sha1(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-1 in this JVM", e);
    }
  }
}
