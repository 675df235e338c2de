package io.github.pierdat.image;

import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels pierdat puts on an image so that tools find its data without running it. Stable keys:
 *
 * <ul>
 *   <li>{@code io.github.pierdat.version}: the pierdat version that built the image;
 *   <li>{@code io.github.pierdat.artifacts}: the number of artifacts;
 *   <li>per artifact, {@code i} counting from 0 in declaration order: {@code io.github.pierdat.artifact.<i>.name},
 *       {@code .path}, {@code .sha256}, {@code .size} and, per seed entry, {@code .seed.<backend>.<param>}
 *       (e.g. a BitTorrent infohash).
 * </ul>
 *
 * Sources are left out: a URL may carry a token, and labels are public.
 */
public final class ImageLabels {

  /** The prefix of every pierdat label. */
  public static final String PREFIX = "io.github.pierdat.";
  /** The pierdat version label. */
  public static final String VERSION = PREFIX + "version";
  /** The artifact count label. */
  public static final String ARTIFACTS = PREFIX + "artifacts";

  private ImageLabels() {}

  /** The label key of an artifact's property, e.g. {@code artifact(0, "sha256")}. */
  public static String artifact(int index, String property) {
    return PREFIX + "artifact." + index + "." + property;
  }

  /** The labels for {@code artifacts}, built by pierdat {@code version}, sorted by key. */
  public static Map<String, String> of(String version, List<ArtifactEntry> artifacts) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(VERSION, version);
    labels.put(ARTIFACTS, Integer.toString(artifacts.size()));
    for (int i = 0; i < artifacts.size(); i++) {
      ArtifactEntry artifact = artifacts.get(i);
      labels.put(artifact(i, "name"), artifact.name());
      labels.put(artifact(i, "path"), artifact.path());
      labels.put(artifact(i, "sha256"), artifact.sha256());
      labels.put(artifact(i, "size"), Long.toString(artifact.size()));
      for (SeedEntry seed : artifact.seeds()) {
        for (Map.Entry<String, String> param : seed.params().entrySet()) {
          labels.put(artifact(i, "seed." + seed.backend() + "." + param.getKey()), param.getValue());
        }
      }
    }
    return labels;
  }
}
