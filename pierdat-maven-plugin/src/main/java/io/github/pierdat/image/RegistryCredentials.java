package io.github.pierdat.image;

import java.util.Objects;

/**
 * A user name and password (or token) for a registry. {@link #toString()} never shows the password.
 *
 * @param username the user name
 * @param password the password or token
 */
public record RegistryCredentials(String username, String password) {

  public RegistryCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=****]";
  }
}
