package io.github.pierdat.maven;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The BitTorrent trackers of {@code <trackers>} and {@code pierdat.trackers}, checked. */
final class TrackerUrls {

  private TrackerUrls() {}

  /**
   * The trackers of {@code configured} followed by those of {@code property} (comma separated), without
   * duplicates.
   *
   * @throws InvalidConfigurationException naming every value that is not an http, https or udp URL with a host
   */
  static List<String> of(List<String> configured, String property) throws InvalidConfigurationException {
    Set<String> urls = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    List<String> given = new ArrayList<>(configured == null ? List.of() : configured);
    if (property != null) {
      given.addAll(List.of(property.split(",")));
    }
    for (String value : given) {
      if (value == null || value.isBlank()) {
        continue;
      }
      String url = value.trim();
      String problem = problem(url);
      if (problem == null) {
        urls.add(url);
      } else {
        problems.add("<trackers><tracker> (pierdat.trackers) '" + url + "' " + problem
            + "; expected an announce URL such as http://tracker.example:6969/announce or udp://tracker.example:6969");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(problems);
    }
    return List.copyOf(urls);
  }

  private static String problem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "is not a URL (" + e.getReason() + ")";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!Set.of("http", "https", "udp").contains(scheme)) {
      return "has scheme '" + scheme + "'";
    }
    if (uri.getHost() == null) {
      return "has no host";
    }
    if (uri.getUserInfo() != null) {
      return "carries credentials, which would be published in every torrent and magnet link";
    }
    return null;
  }
}
