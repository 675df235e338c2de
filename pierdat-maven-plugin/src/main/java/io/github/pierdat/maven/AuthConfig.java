package io.github.pierdat.maven;

/** {@code <auth>} of {@code <from>} or {@code <to>}: registry credentials, as in Jib. */
public class AuthConfig {

  /** The registry user name. */
  private String username;

  /** The registry password or token. Prefer a Docker credential helper or settings.xml over this. */
  private String password;

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  boolean isSet() {
    return username != null && !username.isBlank() && password != null;
  }

  @Override
  public String toString() {
    return "AuthConfig[username=" + username + ", password=***]";
  }
}
