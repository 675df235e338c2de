package io.github.pierdat.backend;

import java.util.List;
import java.util.Optional;

/**
 * A source of backends that are not known in advance, found with {@link java.util.ServiceLoader} like
 * {@link Backend}s are: for example one backend per {@code pierdat-check-<name>} script on the PATH.
 * {@link Backends#load(ClassLoader)} adds what {@link #backends()} returns to the backends registered
 * directly; a backend registered directly wins over a provided one of the same name.
 */
public interface BackendProvider {

  /** The backends this provider offers here and now. */
  List<Backend> backends();

  /**
   * A backend of this provider by name even when {@link #backends()} does not list it (for example the
   * seed side of a script backend whose fetch scripts are gone), or empty.
   */
  default Optional<Backend> named(String name) {
    return Optional.empty();
  }
}
