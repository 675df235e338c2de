package io.github.pierdat.backend;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** The backends available to this process, found with {@link ServiceLoader}, in a stable order. */
public final class Backends {

  private final List<Backend> backends;
  private final List<BackendProvider> providers;

  private Backends(List<Backend> backends, List<BackendProvider> providers) {
    this.backends = List.copyOf(backends);
    this.providers = List.copyOf(providers);
  }

  /**
   * Every backend on the class path of {@code loader} and every backend its {@link BackendProvider}s offer,
   * sorted by name. Of two backends with the same name, the one registered directly wins.
   */
  public static Backends load(ClassLoader loader) {
    Map<String, Backend> found = new LinkedHashMap<>();
    ServiceLoader.load(Backend.class, loader).forEach(b -> found.putIfAbsent(b.name(), b));
    List<BackendProvider> providers = new ArrayList<>();
    ServiceLoader.load(BackendProvider.class, loader).forEach(providers::add);
    for (BackendProvider provider : providers) {
      provider.backends().forEach(b -> found.putIfAbsent(b.name(), b));
    }
    List<Backend> sorted = new ArrayList<>(found.values());
    sorted.sort(Comparator.comparing(Backend::name));
    return new Backends(sorted, providers);
  }

  /** Every backend next to this class. */
  public static Backends load() {
    return load(Backends.class.getClassLoader());
  }

  /** Exactly these backends (for tests and embedding). */
  public static Backends of(Backend... backends) {
    return new Backends(List.of(backends), List.of());
  }

  /**
   * These backends with {@code backend} in place of the one of the same name (or added), e.g. a backend
   * configured by the build; keeps the order by name and the providers.
   */
  public Backends with(Backend backend) {
    List<Backend> replaced = new ArrayList<>(backends);
    replaced.removeIf(b -> b.name().equals(backend.name()));
    replaced.add(backend);
    replaced.sort(Comparator.comparing(Backend::name));
    return new Backends(replaced, providers);
  }

  public List<Backend> all() {
    return backends;
  }

  /** The first backend that accepts {@code source}. */
  public Optional<Backend> forSource(URI source) {
    return backends.stream().filter(b -> b.accepts(source)).findFirst();
  }

  /** The backend with this name, or one a {@link BackendProvider} makes for that name. */
  public Optional<Backend> named(String name) {
    Optional<Backend> listed = backends.stream().filter(b -> b.name().equals(name)).findFirst();
    if (listed.isPresent()) {
      return listed;
    }
    for (BackendProvider provider : providers) {
      Optional<Backend> made = provider.named(name);
      if (made.isPresent()) {
        return made;
      }
    }
    return Optional.empty();
  }

  /** The URI schemes some backend handles, sorted, for error messages. */
  public List<String> supportedSchemes() {
    TreeSet<String> schemes = new TreeSet<>();
    backends.forEach(b -> schemes.addAll(b.schemes()));
    return List.copyOf(schemes);
  }
}
