package io.github.pierdat.testing;

import io.github.pierdat.backend.FetchTarget;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** A fetch target that keeps the bytes in memory, to look at one backend alone. */
public final class MemoryTarget implements FetchTarget {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private long expected = -1;

  /** An empty target. */
  public MemoryTarget() {
    this(new byte[0]);
  }

  /** A target already holding {@code prefix} (an interrupted earlier attempt). */
  public MemoryTarget(byte[] prefix) {
    bytes.writeBytes(prefix);
  }

  /** The bytes written so far. */
  public byte[] bytes() {
    return bytes.toByteArray();
  }

  /** The size the backend announced, or -1. */
  public long expectedSize() {
    return expected;
  }

  @Override
  public int write(ByteBuffer src) {
    int n = src.remaining();
    byte[] chunk = new byte[n];
    src.get(chunk);
    bytes.writeBytes(chunk);
    return n;
  }

  @Override
  public long position() {
    return bytes.size();
  }

  @Override
  public void reset() {
    bytes.reset();
  }

  @Override
  public void expectSize(long totalBytes) {
    expected = totalBytes;
  }

  @Override
  public long knownSize() {
    return -1;
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void close() {}
}
