package io.github.pierdat.jib;

import io.github.pierdat.maven.ArtifactConfig;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The extension's own {@code <configuration implementation="io.github.pierdat.jib.PierdatJibConfiguration">},
 * for projects that do not use the pierdat plugin. Its {@code <artifacts>} are written exactly as in the
 * pierdat plugin's configuration. When the project configures the pierdat plugin, its artifacts are used
 * and this configuration may only set {@link #getAgentMode() agentMode}.
 */
public class PierdatJibConfiguration {

  private List<ArtifactConfig> artifacts = new ArrayList<>();
  private String agentMode;
  private File cacheDirectory;
  private Integer connectTimeout;
  private Integer readTimeout;
  private Integer retries;
  private boolean skip;

  /** The artifacts to bake (as in the pierdat plugin's {@code <artifacts>}). */
  public List<ArtifactConfig> getArtifacts() {
    return artifacts;
  }

  public void setArtifacts(List<ArtifactConfig> artifacts) {
    this.artifacts = artifacts == null ? new ArrayList<>() : artifacts;
  }

  /** {@code process} (default) or {@code javaagent}; see {@link AgentMode}. */
  public String getAgentMode() {
    return agentMode;
  }

  public void setAgentMode(String agentMode) {
    this.agentMode = agentMode;
  }

  /** The artifact cache (default: the pierdat plugin's, {@code .cache/pierdat} in the local repository). */
  public File getCacheDirectory() {
    return cacheDirectory;
  }

  public void setCacheDirectory(File cacheDirectory) {
    this.cacheDirectory = cacheDirectory;
  }

  /** Seconds to wait for a connection to a source (default 20). */
  public Integer getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Integer connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /** Seconds without a byte before a download is retried (default 60). */
  public Integer getReadTimeout() {
    return readTimeout;
  }

  public void setReadTimeout(Integer readTimeout) {
    this.readTimeout = readTimeout;
  }

  /** Attempts per source (default 4). */
  public Integer getRetries() {
    return retries;
  }

  public void setRetries(Integer retries) {
    this.retries = retries;
  }

  /** Leaves Jib's image as it is (also {@code -Dpierdat.skip}). */
  public boolean isSkip() {
    return skip;
  }

  public void setSkip(boolean skip) {
    this.skip = skip;
  }
}
