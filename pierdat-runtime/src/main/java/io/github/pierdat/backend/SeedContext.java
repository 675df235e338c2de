package io.github.pierdat.backend;

import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.manifest.ArtifactEntry;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a {@link Seeder} gets from the agent: the effective settings (pier.dat defaults overridden by
 * {@code PIERDAT_*}), backend-specific options, the shared upload limiter and metrics, every artifact of the
 * image (to list the seeds of other backends) and the test faults. Immutable; build with {@link #builder}.
 */
public final class SeedContext {

  private final AgentSettings settings;
  private final UploadLimiter uploadLimiter;
  private final SeedMetrics metrics;
  private final List<ArtifactEntry> allArtifacts;
  private final TestFaults faults;
  private final Map<String, String> options;

  private SeedContext(Builder b) {
    this.settings = b.settings;
    this.uploadLimiter = b.uploadLimiter == null ? UploadLimiter.of(b.settings.uploadLimit()) : b.uploadLimiter;
    this.metrics = b.metrics;
    this.allArtifacts = List.copyOf(b.allArtifacts);
    this.faults = b.faults;
    this.options = Collections.unmodifiableMap(new TreeMap<>(b.options));
  }

  public static Builder builder(AgentSettings settings) {
    return new Builder(settings);
  }

  /** The effective settings: ports, bind and advertise address, peers, trackers. */
  public AgentSettings settings() {
    return settings;
  }

  /** The limiter every seeder takes upload bandwidth from. */
  public UploadLimiter uploadLimiter() {
    return uploadLimiter;
  }

  public SeedMetrics metrics() {
    return metrics;
  }

  /** Every artifact of the image as pier.dat lists it, seeded by this backend or not. */
  public List<ArtifactEntry> allArtifacts() {
    return allArtifacts;
  }

  /** Faults to inject (test hook); {@link TestFaults#none()} in production. */
  public TestFaults faults() {
    return faults;
  }

  /**
   * Backend-specific settings by key, e.g. {@code ipfs.api} from {@code PIERDAT_IPFS_API}; keys are
   * {@code <backend>.<name>}, like {@link FetchContext#options()}.
   */
  public Map<String, String> options() {
    return options;
  }

  /** One backend-specific setting, if set. */
  public Optional<String> option(String key) {
    return Optional.ofNullable(options.get(key));
  }

  /** Fluent builder for {@link SeedContext}. */
  public static final class Builder {
    private final AgentSettings settings;
    private UploadLimiter uploadLimiter;
    private SeedMetrics metrics = new SeedMetrics();
    private List<ArtifactEntry> allArtifacts = List.of();
    private TestFaults faults = TestFaults.none();
    private final Map<String, String> options = new TreeMap<>();

    private Builder(AgentSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The shared limiter; by default one made from {@link AgentSettings#uploadLimit()}. */
    public Builder uploadLimiter(UploadLimiter value) {
      this.uploadLimiter = Objects.requireNonNull(value);
      return this;
    }

    public Builder metrics(SeedMetrics value) {
      this.metrics = Objects.requireNonNull(value);
      return this;
    }

    public Builder allArtifacts(List<ArtifactEntry> value) {
      this.allArtifacts = Objects.requireNonNull(value);
      return this;
    }

    public Builder faults(TestFaults value) {
      this.faults = Objects.requireNonNull(value);
      return this;
    }

    /** Sets one backend-specific setting (see {@link SeedContext#options()}); a null value removes it. */
    public Builder option(String key, String value) {
      Objects.requireNonNull(key, "key");
      if (value == null) {
        options.remove(key);
      } else {
        options.put(key, value);
      }
      return this;
    }

    /** Sets every entry of {@code values} as with {@link #option(String, String)}. */
    public Builder options(Map<String, String> values) {
      values.forEach(this::option);
      return this;
    }

    public SeedContext build() {
      return new SeedContext(this);
    }
  }
}
