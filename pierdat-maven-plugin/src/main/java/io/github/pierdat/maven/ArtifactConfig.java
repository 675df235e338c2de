package io.github.pierdat.maven;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code <artifact>} of the plugin configuration: a file to bake into the image.
 *
 * <pre>{@code
 * <artifact>
 *   <path>/data/model.bin</path>
 *   <sha256>…64 hex…</sha256>
 *   <sources>
 *     <source>https://mirror.example.org/model.bin</source>
 *     <source>file:${project.basedir}/data/model.bin</source>
 *   </sources>
 * </artifact>
 * }</pre>
 */
public class ArtifactConfig {

  /** The absolute path of the file in the image, e.g. {@code /data/model.bin}. Required. */
  private String path;

  /**
   * The sha256 of the file (64 hex digits). Required: a build without it fetches the bytes, prints their
   * sha256 so it can be pinned after checking, and fails.
   */
  private String sha256;

  /** Where to get the bytes, tried in order until one yields bytes matching the sha256. */
  private List<String> sources = new ArrayList<>();

  /** A short name for logs and labels; defaults to the file name of {@link #path}. */
  private String name;

  /** The id of a {@code <server>} in settings.xml whose credentials are sent to this artifact's sources. */
  private String serverId;

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  public List<String> getSources() {
    return sources;
  }

  public void setSources(List<String> sources) {
    this.sources = sources == null ? new ArrayList<>() : sources;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getServerId() {
    return serverId;
  }

  public void setServerId(String serverId) {
    this.serverId = serverId;
  }
}
