package io.github.pierdat.backend.http;

import io.github.pierdat.backend.FetchTarget;
import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Writes a response body straight into a {@link FetchTarget}, asking for the next chunk only after the
 * last one was written (backpressure: a slow disk slows the socket instead of filling memory).
 *
 * <p>{@link #abort()} stops it for good: once it returns no write is running and none will start, so the
 * caller may retry into the same target right away.
 */
final class TargetSubscriber implements BodySubscriber<Long> {

  private final FetchTarget target;
  private final Exchange exchange;
  private final boolean resetFirst;
  private final CompletableFuture<Long> body = new CompletableFuture<>();
  private Flow.Subscription subscription;
  private boolean closed;
  private long received;

  /**
   * @param resetFirst discard the target's bytes before the first write (a full body came back for a
   *     range request)
   */
  TargetSubscriber(FetchTarget target, Exchange exchange, boolean resetFirst) {
    this.target = target;
    this.exchange = exchange;
    this.resetFirst = resetFirst;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    synchronized (this) {
      if (closed || subscription != null) {
        s.cancel();
        return;
      }
      subscription = s;
      if (resetFirst) {
        try {
          target.reset();
        } catch (IOException e) {
          failLocally(e);
          return;
        }
      }
    }
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    exchange.touch();
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        for (ByteBuffer buffer : buffers) {
          while (buffer.hasRemaining()) {
            received += target.write(buffer);
          }
        }
      } catch (IOException e) {
        failLocally(e);
        return;
      }
    }
    exchange.touch();
    subscription.request(1);
  }

  @Override
  public void onError(Throwable error) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    body.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    body.complete(received);
  }

  @Override
  public CompletionStage<Long> getBody() {
    return body;
  }

  /** Stops writing and cancels the transfer (closing its connection). */
  void abort() {
    Flow.Subscription s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = subscription;
    }
    if (s != null) {
      s.cancel();
    }
    body.completeExceptionally(new IOException("transfer aborted"));
  }

  private void failLocally(IOException e) {
    // Called holding the monitor.
    closed = true;
    subscription.cancel();
    body.completeExceptionally(new TargetWriteException(e));
  }
}
