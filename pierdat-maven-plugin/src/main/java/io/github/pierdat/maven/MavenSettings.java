package io.github.pierdat.maven;

import io.github.pierdat.backend.Credentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * What pierdat takes from settings.xml: server credentials (decrypted with settings-security.xml) and the
 * active proxy. Secrets stay in memory and never reach logs or images.
 */
final class MavenSettings {

  private final Settings settings;
  private final SettingsDecrypter decrypter;

  MavenSettings(Settings settings, SettingsDecrypter decrypter) {
    this.settings = settings;
    this.decrypter = decrypter;
  }

  /** The decrypted credentials of {@code <server><id>serverId</id>}. */
  Credentials credentials(String serverId, String usedBy) throws InvalidConfigurationException {
    Server server = settings == null ? null : settings.getServer(serverId);
    if (server == null) {
      throw new InvalidConfigurationException(List.of(usedBy + ": <serverId> '" + serverId
          + "' names no <server> in settings.xml; add <server><id>" + serverId
          + "</id><username>…</username><password>…</password></server>"));
    }
    SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    for (SettingsProblem problem : result.getProblems()) {
      if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
        throw new InvalidConfigurationException(List.of(usedBy + ": cannot decrypt the password of server '"
            + serverId + "': " + problem.getMessage() + " (check settings-security.xml)"));
      }
    }
    Server decrypted = result.getServer();
    if (decrypted.getUsername() == null || decrypted.getPassword() == null) {
      throw new InvalidConfigurationException(List.of(usedBy + ": server '" + serverId
          + "' in settings.xml needs both <username> and <password>"));
    }
    return new Credentials(decrypted.getUsername(), decrypted.getPassword());
  }

  /** True if settings.xml has a {@code <server>} with this id. */
  boolean hasServer(String id) {
    return settings != null && settings.getServer(id) != null;
  }

  /** The active proxy of settings.xml, if any, decrypted. */
  Optional<org.apache.maven.settings.Proxy> activeProxy() {
    org.apache.maven.settings.Proxy proxy = settings == null ? null : settings.getActiveProxy();
    if (proxy == null) {
      return Optional.empty();
    }
    SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(proxy));
    return Optional.of(result.getProxy() == null ? proxy : result.getProxy());
  }

  /** A proxy selector for the active proxy (honouring nonProxyHosts), or the JVM default. */
  ProxySelector proxySelector() {
    return activeProxy().<ProxySelector>map(SettingsProxySelector::new).orElse(ProxySelector.getDefault());
  }

  /** Credentials for the active proxy, if it has any. */
  Optional<Credentials> proxyCredentials() {
    return activeProxy()
        .filter(p -> p.getUsername() != null && p.getPassword() != null)
        .map(p -> new Credentials(p.getUsername(), p.getPassword()));
  }

  /** Routes http and https through one Maven proxy, except for its nonProxyHosts. */
  private static final class SettingsProxySelector extends ProxySelector {
    private final Proxy proxy;
    private final Pattern nonProxyHosts;

    SettingsProxySelector(org.apache.maven.settings.Proxy settingsProxy) {
      this.proxy = new Proxy(Proxy.Type.HTTP,
          InetSocketAddress.createUnresolved(settingsProxy.getHost(), settingsProxy.getPort()));
      this.nonProxyHosts = globs(settingsProxy.getNonProxyHosts());
    }

    @Override
    public List<Proxy> select(URI uri) {
      String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
      if (nonProxyHosts != null && nonProxyHosts.matcher(host).matches()) {
        return List.of(Proxy.NO_PROXY);
      }
      return List.of(proxy);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException e) {
      // Nothing to remember: the fetcher reports the failure with the source.
    }

    /** nonProxyHosts is {@code host|*.domain|10.*}; '|' or ',' separate globs. */
    private static Pattern globs(String value) {
      if (value == null || value.isBlank()) {
        return null;
      }
      StringBuilder regex = new StringBuilder();
      for (String glob : value.split("[|,]")) {
        String trimmed = glob.trim().toLowerCase(Locale.ROOT);
        if (trimmed.isEmpty()) {
          continue;
        }
        if (regex.length() > 0) {
          regex.append('|');
        }
        regex.append(Pattern.quote(trimmed).replace("*", "\\E.*\\Q"));
      }
      return regex.length() == 0 ? null : Pattern.compile(regex.toString());
    }
  }
}
