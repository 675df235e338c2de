package io.github.pierdat.backend.ipfs;

import io.github.pierdat.backend.FetchException;
import java.io.IOException;

/**
 * Carries a {@link FetchException} (with its retry decision) through
 * {@link io.github.pierdat.backend.ipfs.unixfs.BlockSource#get}, which may only throw IOException.
 */
final class WrappedFetchException extends IOException {

  private static final long serialVersionUID = 1L;

  WrappedFetchException(FetchException cause) {
    super(cause.getMessage(), cause);
  }

  FetchException fetchException() {
    return (FetchException) getCause();
  }
}
