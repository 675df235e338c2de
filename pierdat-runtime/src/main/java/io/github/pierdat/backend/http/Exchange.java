package io.github.pierdat.backend.http;

import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;

/**
 * One request and its response as the transfer watches it: when bytes last arrived (for the idle timeout),
 * whether headers came, and what the body handler decided. Handler decisions are written on the client's
 * thread before the response future completes and read after it, so they need no further locking.
 */
final class Exchange {

  private volatile long lastActivity = System.nanoTime();
  private volatile boolean headersSeen;
  private boolean aborted;
  private TargetSubscriber subscriber;

  /** The body went into the target. */
  boolean delivered;
  /** The target position the body should end at, or -1 if the server did not say. */
  long expectedEnd = -1;
  /** The full size of the resource, or -1 if unknown. */
  long total = -1;
  /** The server answered the range request with another range than the one asked for. */
  String wrongRange;

  void touch() {
    lastActivity = System.nanoTime();
  }

  void headersSeen() {
    headersSeen = true;
    touch();
  }

  boolean hasHeaders() {
    return headersSeen;
  }

  long idleNanos() {
    return System.nanoTime() - lastActivity;
  }

  /** Registers the subscriber that will write the body, unless the exchange was aborted already. */
  synchronized BodySubscriber<Long> deliverTo(TargetSubscriber target) {
    if (aborted) {
      return BodySubscribers.replacing(-1L);
    }
    subscriber = target;
    delivered = true;
    return target;
  }

  /** Stops the body from being written any further; safe to call at any time, more than once. */
  void abort() {
    TargetSubscriber s;
    synchronized (this) {
      aborted = true;
      s = subscriber;
    }
    if (s != null) {
      s.abort();
    }
  }
}
