package io.github.pierdat.maven;

/** {@code <from>}: the base image, as in Jib. */
public class FromConfig {

  /**
   * The base image: a registry reference (any image with Java 17+), {@code scratch}, {@code
   * tar://path/to/docker-image.tar} or {@code docker://name} (local Docker daemon).
   */
  private String image;

  /** Credentials for the base image's registry. */
  private AuthConfig auth = new AuthConfig();

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
}
