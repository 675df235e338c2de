package io.github.pierdat.backend.bittorrent.engine;

/**
 * Decides how many bytes may be uploaded now: the hook for a shared upload limit. Blocks until at least one
 * byte may be sent.
 */
@FunctionalInterface
public interface UploadGate {

  /** A gate that never waits. */
  UploadGate UNLIMITED = wanted -> wanted;

  /** Returns how many of {@code wanted} (> 0) bytes may be sent now: at least 1, at most {@code wanted}. */
  int acquire(int wanted);
}
