package io.github.pierdat.it.jib;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.ItEnvironment;
import io.github.pierdat.it.fixture.MavenBuild;
import io.github.pierdat.it.fixture.SampleProject;
import java.nio.file.Path;

/**
 * A sample built by jib-maven-plugin with the pierdat extension, its artifact served by the test's origin:
 * {@code jib-app} (a Java app; the artifact declared in the pierdat plugin's configuration) or
 * {@code jib-cases} (one module per way of configuring the extension).
 */
final class JibSample {

  static final String PATH = "/data/corpus.bin";

  private final SampleProject project;
  private final String registry;
  private final String origin;
  private final String sha;
  private final String from;
  private final ArtifactCache cache;

  JibSample(String name, String registry, String origin, String sha, String from, ArtifactCache cache) {
    this.project = SampleProject.copy(name);
    this.registry = registry;
    this.origin = origin;
    this.sha = sha;
    this.from = from;
    this.cache = cache;
  }

  SampleProject project() {
    return project;
  }

  /** A build of the sample with the test's registry, origin, base image, caches and no update checks. */
  MavenBuild build(String... goals) {
    return project.build(goals)
        .property("registry", registry)
        .property("origin", origin)
        .property("sha", sha)
        .property("from", from)
        .property("pierdat.cacheDirectory", cache.root().toString())
        .property("jib.baseImageCache", ItEnvironment.work().resolve("jib-base-cache").toString())
        .property("jib.disableUpdateChecks", "true")
        .property("jib.console", "plain");
  }

  /** Where {@code jib:buildTar} writes the image. */
  Path jibTar() {
    return project.path("target/jib-image.tar");
  }

  /** Where {@code jib:buildTar} writes the image of module {@code module}. */
  Path jibTar(String module) {
    return project.path(module + "/target/jib-image.tar");
  }
}
