package io.github.pierdat.backend.bittorrent.engine;

import bt.net.SharedSelector;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Optional;
import java.util.Set;

/**
 * bt's shared selector without its registration lock. bt 1.10's {@code wakeupAndRegister} spins on a read
 * lock that the receiving loop re-takes around every {@code select()}; on a single CPU the spinning thread
 * starves the loop and no peer is ever served. Since JDK 11 {@link SelectableChannel#register} no longer
 * blocks while another thread selects, so registering and then waking the selector is enough.
 */
final class NonSpinningSelector extends SharedSelector {

  private final Selector delegate;

  NonSpinningSelector(Selector delegate) {
    super(delegate);
    this.delegate = delegate;
  }

  @Override
  public void wakeupAndRegister(SelectableChannel channel, int ops, Object attachment) {
    try {
      channel.register(delegate, ops, attachment);
    } catch (ClosedChannelException e) {
      throw new RuntimeException("Failed to register channel", e);
    }
    delegate.wakeup();
  }

  @Override
  public int select() throws IOException {
    return delegate.select();
  }

  @Override
  public int select(long timeout) throws IOException {
    return delegate.select(timeout);
  }

  @Override
  public int selectNow() throws IOException {
    return delegate.selectNow();
  }

  @Override
  public Selector wakeup() {
    return delegate.wakeup();
  }

  @Override
  public Set<SelectionKey> keys() {
    return delegate.keys();
  }

  @Override
  public Set<SelectionKey> selectedKeys() {
    return delegate.selectedKeys();
  }

  @Override
  public boolean isOpen() {
    return delegate.isOpen();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public Optional<SelectionKey> keyFor(SelectableChannel channel) {
    return Optional.ofNullable(channel.keyFor(delegate));
  }
}
