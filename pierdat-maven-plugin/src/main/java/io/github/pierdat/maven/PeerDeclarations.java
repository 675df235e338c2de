package io.github.pierdat.maven;

import io.github.pierdat.peer.PeerAddress;
import io.github.pierdat.peer.Peers;
import java.util.ArrayList;
import java.util.List;

/** Checks {@code <peers>} ({@code pierdat.peers}) before anything is fetched, reporting every bad entry. */
final class PeerDeclarations {

  private PeerDeclarations() {}

  /**
   * The peers of {@code entries}, in order; an entry may itself be a comma-separated list (as the property is).
   *
   * @throws InvalidConfigurationException naming each malformed entry and the forms expected
   */
  static Peers validate(List<String> entries) throws InvalidConfigurationException {
    List<PeerAddress> peers = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String entry : entries == null ? List.<String>of() : entries) {
      if (entry == null || entry.isBlank()) {
        continue;
      }
      for (String part : entry.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        try {
          peers.add(PeerAddress.parse(part));
        } catch (IllegalArgumentException e) {
          problems.add("<peers> (pierdat.peers): <peer> '" + part.trim() + "' is not a peer: " + e.getMessage()
              + "; expected " + PeerAddress.FORMS);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(problems);
    }
    return Peers.of(peers);
  }
}
