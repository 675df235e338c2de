package io.github.pierdat.backend.http.server;

import io.github.pierdat.backend.SeedContext;
import io.github.pierdat.backend.SeedMetrics;
import io.github.pierdat.backend.UploadLimiter;
import io.github.pierdat.backend.ipfs.gateway.GatewayResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one request: an artifact (GET/HEAD, single byte ranges, conditional requests), the status
 * document at {@code /}, {@code /healthz} or {@code /metrics}, the artifacts' IPFS blocks under
 * {@code /ipfs/} ({@link IpfsGatewayRoute}); 404 for every other path, 405 for every other method.
 */
final class RequestHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);
  private static final String BACKEND = HttpSeeder.BACKEND;

  private final ArtifactRoutes routes;
  private final IpfsGatewayRoute ipfs;
  private final SeedContext context;
  private final SeedMetrics metrics;
  private final UploadLimiter limiter;

  RequestHandler(ArtifactRoutes routes, IpfsGatewayRoute ipfs, SeedContext context) {
    this.routes = routes;
    this.ipfs = ipfs;
    this.context = context;
    this.metrics = context.metrics();
    this.limiter = context.uploadLimiter();
  }

  /** Answers {@code request} and returns whether the connection may carry another request. */
  boolean handle(HttpRequest request, SocketIo io) throws IOException {
    boolean keepAlive = request.keepAlive();
    boolean head = request.method().equals("HEAD");
    if (!head && !request.method().equals("GET")) {
      return simple(io, new ResponseHead(405).add("Allow", "GET, HEAD"), "method not allowed\n", false, keepAlive);
    }
    String path = RequestTarget.path(request.target());
    if (path == RequestTarget.BAD) {
      return simple(io, new ResponseHead(400), "bad request\n", head, false);
    }
    switch (path) {
      case "/":
        return body(io, 200, "application/json", StatusDocument.render(routes, context), head, keepAlive);
      case "/healthz":
        return simple(io, new ResponseHead(200), "ok\n", head, keepAlive);
      case "/metrics":
        return body(io, 200, "text/plain; version=0.0.4; charset=utf-8",
            metrics.prometheus().getBytes(StandardCharsets.UTF_8), head, keepAlive);
      default:
        break;
    }
    if (path.startsWith(IpfsGatewayRoute.PREFIX) && !ipfs.isEmpty()) {
      return ipfs(io, request, head, keepAlive);
    }
    Optional<ServedArtifact> artifact = path == RequestTarget.NONE ? Optional.empty() : routes.find(path);
    if (artifact.isEmpty()) {
      return simple(io, new ResponseHead(404), "not found\n", head, keepAlive);
    }
    return artifact(io, request, artifact.get(), head, keepAlive);
  }

  private boolean ipfs(SocketIo io, HttpRequest request, boolean head, boolean keepAlive) throws IOException {
    GatewayResponse response;
    try {
      response = ipfs.respond(request.method(), request.target(), request.header("accept"));
    } catch (URISyntaxException e) {
      return simple(io, new ResponseHead(400), "bad request\n", head, false);
    }
    ResponseHead responseHead = new ResponseHead(response.status());
    response.headers().forEach(responseHead::add);
    // Every gateway response has a known length; a body of unknown length would end with the connection.
    boolean reuse = keepAlive && response.contentLength() >= 0;
    if (response.contentLength() >= 0) {
      responseHead.add("Content-Length", response.contentLength());
    }
    send(io, responseHead, reuse);
    if (response.hasBody()) {
      String name = response.status() == 200 ? ipfs.artifactName(request.target()) : "ipfs";
      metrics.transferStarted();
      try {
        OutputStream out = new BufferedOutputStream(new LimitedSocketOutput(io, limiter, metrics, name), 64 * 1024);
        // A failure midway throws: the connection is closed and the client's block check sees the cut.
        response.writeBody(out);
        out.flush();
      } finally {
        metrics.transferEnded();
      }
    }
    return reuse;
  }

  /** Answers a request the reader rejected, then the connection closes. */
  void reject(SocketIo io, BadRequestException e) throws IOException {
    simple(io, new ResponseHead(e.status()), ResponseHead.reason(e.status()).toLowerCase() + "\n", false, false);
  }

  private boolean artifact(SocketIo io, HttpRequest request, ServedArtifact artifact, boolean head,
      boolean keepAlive) throws IOException {
    String etag = artifact.etag();
    if (matchesAny(request.header("if-none-match"), etag)) {
      return send(io, new ResponseHead(304).add("ETag", etag).add("Accept-Ranges", "bytes"), keepAlive);
    }
    // Opened per request, read-only and not through a symlink: one interrupted transfer cannot close
    // the file for the others, and a file swapped after the start check is never followed.
    FileChannel opened;
    try {
      opened = FileChannel.open(artifact.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      // e.g. ELOOP: the artifact was replaced by a symlink after the start check
      LOG.error("cannot open {}: {}", artifact.file(), e.toString());
      return simple(io, new ResponseHead(500), "artifact unavailable\n", head, false);
    }
    try (FileChannel file = opened) {
      long size = file.size();
      if (size != artifact.entry().size()) {
        LOG.error("{} is now {} bytes, but pier.dat records {}; not serving it", artifact.file(), size,
            artifact.entry().size());
        return simple(io, new ResponseHead(500), "artifact changed on disk\n", head, false);
      }
      String ifRange = request.header("if-range");
      ByteRange range = ifRange != null && !ifRange.equals(etag)
          ? ByteRange.full(size)
          : ByteRange.of(request.header("range"), size);
      ResponseHead response;
      switch (range.kind()) {
        case UNSATISFIABLE:
          return send(io, new ResponseHead(416).add("Content-Range", "bytes */" + size)
              .add("Content-Length", 0).add("ETag", etag).add("Accept-Ranges", "bytes"), keepAlive);
        case PARTIAL:
          response = new ResponseHead(206)
              .add("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
          break;
        default:
          response = new ResponseHead(200);
      }
      response.add("Content-Type", "application/octet-stream")
          .add("Content-Length", range.length())
          .add("ETag", etag)
          .add("Accept-Ranges", "bytes")
          .add("Cache-Control", "public, max-age=31536000, immutable");
      send(io, response, keepAlive);
      if (!head && range.length() > 0) {
        transfer(io, file, artifact, range.first(), range.length());
      }
      return keepAlive;
    }
  }

  private void transfer(SocketIo io, FileChannel file, ServedArtifact artifact, long first, long length)
      throws IOException {
    String name = artifact.entry().name();
    metrics.transferStarted();
    try {
      long position = first;
      long end = first + length;
      while (position < end) {
        long allowed;
        try {
          allowed = limiter.acquire(end - position);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for upload bandwidth");
        }
        long sliceEnd = position + allowed;
        while (position < sliceEnd) {
          long sent = io.send(file, position, sliceEnd - position);
          position += sent;
          metrics.served(name, BACKEND, sent);
        }
      }
    } finally {
      metrics.transferEnded();
    }
  }

  /** True if an {@code If-None-Match} value lists {@code etag} (weak comparison) or is {@code *}. */
  private static boolean matchesAny(String header, String etag) {
    if (header == null) {
      return false;
    }
    for (String candidate : header.split(",")) {
      String c = candidate.trim();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.equals("*") || c.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private boolean simple(SocketIo io, ResponseHead response, String text, boolean head, boolean keepAlive)
      throws IOException {
    return body(io, response, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), head, keepAlive);
  }

  private boolean body(SocketIo io, int status, String type, byte[] bytes, boolean head, boolean keepAlive)
      throws IOException {
    return body(io, new ResponseHead(status), type, bytes, head, keepAlive);
  }

  private boolean body(SocketIo io, ResponseHead response, String type, byte[] bytes, boolean head,
      boolean keepAlive) throws IOException {
    response.add("Content-Type", type).add("Content-Length", bytes.length);
    if (response.status() == 200) {
      response.add("Cache-Control", "no-store");
    }
    send(io, response, keepAlive);
    if (!head) {
      io.write(ByteBuffer.wrap(bytes));
    }
    return keepAlive;
  }

  private boolean send(SocketIo io, ResponseHead response, boolean keepAlive) throws IOException {
    metrics.request(response.status());
    io.write(response.render(keepAlive));
    return keepAlive;
  }
}
