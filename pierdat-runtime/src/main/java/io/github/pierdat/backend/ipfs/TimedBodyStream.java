package io.github.pierdat.backend.ipfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP response body as an InputStream that fails when no data arrives for the read timeout. The JDK's
 * own body stream blocks forever on a stalled server; this one subscribes to the body publisher itself and
 * waits with a deadline, asking for one buffer list at a time (so memory stays bounded).
 */
final class TimedBodyStream extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {

  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Duration idleTimeout;
  private final String what;
  private volatile Flow.Subscription subscription;
  private Iterator<ByteBuffer> buffers;
  private ByteBuffer current;
  private boolean ended;
  private boolean closed;

  TimedBodyStream(Duration idleTimeout, String what) {
    this.idleTimeout = idleTimeout;
    this.what = what;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable t) {
    queue.add(t);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.remaining());
    current.get(b, off, n);
    return n;
  }

  /** Makes {@code current} non-empty; false at the end of the body. */
  @SuppressWarnings("unchecked")
  private boolean fill() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    while (current == null || !current.hasRemaining()) {
      if (ended) {
        return false;
      }
      if (buffers != null && buffers.hasNext()) {
        current = buffers.next();
        continue;
      }
      if (buffers != null) {
        buffers = null;
        subscription.request(1);
      }
      Object item;
      try {
        item = queue.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new InterruptedIOException("interrupted while reading " + what);
      }
      if (item == null) {
        close();
        throw new HttpTimeoutException("no data from " + what + " for " + idleTimeout.toSeconds()
            + " s (read timeout)");
      }
      if (item == END) {
        ended = true;
      } else if (item instanceof Throwable t) {
        ended = true;
        throw t instanceof IOException io ? io : new IOException("reading " + what + ": " + t, t);
      } else {
        buffers = ((List<ByteBuffer>) item).iterator();
      }
    }
    return true;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Flow.Subscription s = subscription;
      if (s != null && !ended) {
        s.cancel();
      }
    }
  }
}
