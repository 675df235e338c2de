package io.github.pierdat.it.agent;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.JavaBaseImage;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.Podman;
import io.github.pierdat.it.fixture.Registry;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.manifest.ArtifactEntry;

/**
 * A pierdat image built for real and ready to run: a registry on loopback holding the Java base image
 * (no CMD of its own), an origin serving one small artifact, {@code pierdat:build} of the {@code build-http}
 * sample pushing the image to the registry, and a podman store that has pulled it. One per test class;
 * {@link #close()} removes every container and stops everything.
 */
public final class AgentImage implements AutoCloseable {

  /** The artifact's path in the image. */
  public static final String PATH = "/models/model.bin";

  private final byte[] data;
  private final String sha256;
  private final Registry registry;
  private final Origin origin;
  private final Podman podman;
  private final String reference;
  private final ArtifactEntry artifact;

  private AgentImage(byte[] data, Registry registry, Origin origin, Podman podman, String reference,
      ArtifactEntry artifact) {
    this.data = data.clone();
    this.sha256 = Sha256.hex(data);
    this.registry = registry;
    this.origin = origin;
    this.podman = podman;
    this.reference = reference;
    this.artifact = artifact;
  }

  /** Builds image {@code it/<name>:1.0} carrying {@code data} at {@link #PATH} and pulls it. */
  public static AgentImage build(String name, byte[] data) {
    Registry registry = Registry.start();
    Origin origin = null;
    Podman podman = null;
    try {
      origin = Origin.start().serve("/model.bin", data);
      String from = JavaBaseImage.get().pushTo(registry, "base/java:17");
      String reference = registry.reference("it/" + name + ":1.0");
      SampleProject project = SampleProject.copy("build-http");
      project.build("pierdat:build")
          .property("registry", registry.address())
          .property("origin", origin.base())
          .property("sha", Sha256.hex(data))
          .property("from", from)
          .property("to", reference)
          .property("pierdat.cacheDirectory", ArtifactCache.fresh(name).toString())
          .run()
          .assertSucceeded();
      podman = Podman.start();
      podman.pull(reference);
      return new AgentImage(data, registry, origin, podman, reference, project.pierDat().artifacts().get(0));
    } catch (RuntimeException | Error e) {
      if (podman != null) {
        podman.close();
      }
      if (origin != null) {
        origin.close();
      }
      registry.close();
      throw e;
    }
  }

  /** The image reference podman runs. */
  public String reference() {
    return reference;
  }

  public Podman podman() {
    return podman;
  }

  /** The artifact's bytes. */
  public byte[] data() {
    return data.clone();
  }

  /** The artifact's sha256 (hex). */
  public String sha256() {
    return sha256;
  }

  /** The artifact as pier.dat records it. */
  public ArtifactEntry artifact() {
    return artifact;
  }

  @Override
  public void close() {
    try {
      podman.close();
    } finally {
      origin.close();
      registry.close();
    }
  }
}
