package io.github.pierdat.maven;

import java.util.LinkedHashSet;
import java.util.Set;

/** {@code <to>}: the image to build, as in Jib. */
public class ToConfig {

  /** The image reference to build, e.g. {@code registry.example.com/team/model-server:1.0}. */
  private String image;

  /** Credentials for the target registry. */
  private AuthConfig auth = new AuthConfig();

  /** Further tags to push the same image under. */
  private Set<String> tags = new LinkedHashSet<>();

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public AuthConfig getAuth() {
    return auth;
  }

  public void setAuth(AuthConfig auth) {
    this.auth = auth == null ? new AuthConfig() : auth;
  }

  public Set<String> getTags() {
    return tags;
  }

  public void setTags(Set<String> tags) {
    this.tags = tags == null ? new LinkedHashSet<>() : tags;
  }
}
