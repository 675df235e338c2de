package io.github.pierdat.backend.file;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.FetchTarget;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;

/**
 * Copies a local file ({@code file:/abs/path} or {@code file:///abs/path}) into the target, resuming at the
 * target's position. Does not seed: the agent serves the baked copy through the other backends.
 */
public final class FileBackend implements Backend {

  private static final int BUFFER_SIZE = 1 << 20;

  /** For {@link java.util.ServiceLoader}. */
  public FileBackend() {}

  @Override
  public String name() {
    return "file";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  @Override
  public boolean usesNetwork() {
    return false;
  }

  @Override
  public boolean accepts(URI source) {
    return source.getScheme() != null && source.getScheme().toLowerCase(Locale.ROOT).equals("file");
  }

  @Override
  public void fetch(URI source, FetchTarget target, FetchContext context) throws FetchException, IOException {
    Path path = toPath(source);
    if (!Files.exists(path)) {
      throw new FetchException("no such file: " + path);
    }
    if (Files.isDirectory(path)) {
      throw new FetchException(path + " is a directory; expected a file");
    }
    if (!Files.isReadable(path)) {
      throw new FetchException("cannot read " + path + ": permission denied");
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = in.size();
      target.expectSize(size);
      long start = target.position();
      if (start > size) {
        // Whatever is in the target is not a prefix of this file.
        target.reset();
        start = 0;
      }
      in.position(start);
      while (in.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          target.write(buffer);
        }
        buffer.clear();
      }
    } catch (NoSuchFileException e) {
      throw new FetchException("no such file: " + path, e);
    } catch (AccessDeniedException e) {
      throw new FetchException("cannot read " + path + ": permission denied", e);
    }
  }

  private static Path toPath(URI source) throws FetchException {
    String authority = source.getRawAuthority();
    if (authority != null && !authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
      throw new FetchException("file URI " + source + " names host '" + authority
          + "'; expected a local file such as file:/abs/path or file:///abs/path");
    }
    if (source.isOpaque() || source.getRawPath() == null || !source.getRawPath().startsWith("/")) {
      throw new FetchException("file URI " + source + " is not absolute; expected file:/abs/path or file:///abs/path");
    }
    try {
      return Path.of(new URI("file", null, source.getPath(), null));
    } catch (IllegalArgumentException | FileSystemNotFoundException | java.net.URISyntaxException e) {
      throw new FetchException("file URI " + source + " cannot be read as a local path: " + e.getMessage(), e);
    }
  }
}
