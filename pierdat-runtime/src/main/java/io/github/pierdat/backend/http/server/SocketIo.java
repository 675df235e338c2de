package io.github.pierdat.backend.http.server;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Non-blocking socket I/O for one connection's thread, waiting on a private selector so that every wait
 * has a timeout (an idle or stalled peer is dropped) and another thread can close the connection at any
 * time. File bodies go out with {@link FileChannel#transferTo}, which is sendfile(2) on Linux: no copy
 * through the JVM heap.
 */
final class SocketIo implements Closeable {

  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private final long timeoutMillis;
  private volatile boolean closed;

  SocketIo(SocketChannel channel, long timeoutMillis) throws IOException {
    this.channel = channel;
    this.timeoutMillis = timeoutMillis;
    channel.configureBlocking(false);
    this.selector = Selector.open();
    this.key = channel.register(selector, 0);
  }

  /** Reads at least one byte into {@code buffer}, or returns -1 at end of stream. */
  int read(ByteBuffer buffer) throws IOException {
    while (true) {
      int n = channel.read(buffer);
      if (n != 0) {
        return n;
      }
      await(SelectionKey.OP_READ);
    }
  }

  /** Writes all of {@code buffer}. */
  void write(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.write(buffer) == 0) {
        await(SelectionKey.OP_WRITE);
      }
    }
  }

  /**
   * Sends up to {@code count} bytes of {@code file} from {@code position} (at least one) and returns how
   * many were sent.
   *
   * @throws EOFException if the file ends before {@code position}
   */
  long send(FileChannel file, long position, long count) throws IOException {
    while (true) {
      long n = file.transferTo(position, count, channel);
      if (n > 0) {
        return n;
      }
      if (position >= file.size()) {
        throw new EOFException("file ended at " + file.size() + " bytes, before byte " + position);
      }
      await(SelectionKey.OP_WRITE);
    }
  }

  private void await(int op) throws IOException {
    if (closed || !channel.isOpen()) {
      throw new ClosedChannelException();
    }
    key.interestOps(op);
    int ready = selector.select(timeoutMillis);
    selector.selectedKeys().clear();
    if (closed || !channel.isOpen()) {
      throw new ClosedChannelException();
    }
    if (ready == 0) {
      throw new SocketTimeoutException("peer idle for " + timeoutMillis + " ms");
    }
  }

  /** Closes the connection; safe from any thread, wakes a waiting {@link #read} or {@link #write}. */
  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
    selector.wakeup();
  }

  /** Releases the selector; only by the connection's own thread, after {@link #close()}. */
  void release() {
    close();
    try {
      selector.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }
}
