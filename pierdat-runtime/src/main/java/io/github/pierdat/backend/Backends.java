package io.github.pierdat.backend;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** The backends available to this process, found with {@link ServiceLoader}, in a stable order. */
public final class Backends {

  private final List<Backend> backends;

  private Backends(List<Backend> backends) {
    this.backends = List.copyOf(backends);
  }

  /** Every backend on the class path of {@code loader}, sorted by name. */
  public static Backends load(ClassLoader loader) {
    List<Backend> found = new ArrayList<>();
    ServiceLoader.load(Backend.class, loader).forEach(found::add);
    found.sort(java.util.Comparator.comparing(Backend::name));
    return new Backends(found);
  }

  /** Every backend next to this class. */
  public static Backends load() {
    return load(Backends.class.getClassLoader());
  }

  /** Exactly these backends (for tests and embedding). */
  public static Backends of(Backend... backends) {
    return new Backends(List.of(backends));
  }

  public List<Backend> all() {
    return backends;
  }

  /** The first backend that accepts {@code source}. */
  public Optional<Backend> forSource(URI source) {
    return backends.stream().filter(b -> b.accepts(source)).findFirst();
  }

  /** The backend with this name. */
  public Optional<Backend> named(String name) {
    return backends.stream().filter(b -> b.name().equals(name)).findFirst();
  }

  /** The URI schemes some backend handles, sorted, for error messages. */
  public List<String> supportedSchemes() {
    TreeSet<String> schemes = new TreeSet<>();
    backends.forEach(b -> schemes.addAll(b.schemes()));
    return List.copyOf(schemes);
  }
}
