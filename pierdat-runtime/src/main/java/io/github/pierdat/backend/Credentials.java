package io.github.pierdat.backend;

import java.util.Objects;

/**
 * A user name and password (or token) for a source. {@link #toString()} never shows the secret.
 *
 * @param username the user name
 * @param password the password or token
 */
public record Credentials(String username, String password) {

  public Credentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", password=***]";
  }
}
