package io.github.pierdat.backend.http.server;

import io.github.pierdat.backend.SeedMetrics;
import io.github.pierdat.backend.UploadLimiter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A response body written through the shared upload limiter and counted in the metrics, for bodies made
 * on the fly (IPFS blocks and CARs) rather than sent from a file. Closing it does not close the connection.
 */
final class LimitedSocketOutput extends OutputStream {

  private final SocketIo io;
  private final UploadLimiter limiter;
  private final SeedMetrics metrics;
  private final String artifact;

  LimitedSocketOutput(SocketIo io, UploadLimiter limiter, SeedMetrics metrics, String artifact) {
    this.io = io;
    this.limiter = limiter;
    this.metrics = metrics;
    this.artifact = artifact;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    int position = offset;
    int end = offset + length;
    while (position < end) {
      int allowed;
      try {
        allowed = (int) limiter.acquire(end - position);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for upload bandwidth");
      }
      io.write(ByteBuffer.wrap(bytes, position, allowed));
      metrics.served(artifact, HttpSeeder.BACKEND, allowed);
      position += allowed;
    }
  }
}
