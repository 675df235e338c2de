package io.github.pierdat.maven;

import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.maven.ArtifactFetch.Fetched;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Fetches every declared artifact into the shared cache (swarm and peers first, origins last), verifies its
 * sha256, and writes {@code pier.dat} into the output directory. A cached artifact costs no network; with
 * {@code mvn -o} only the cache is used.
 */
@Mojo(name = "fetch", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class FetchMojo extends AbstractPierdatMojo {

  @Inject
  public FetchMojo(SettingsDecrypter settingsDecrypter) {
    super(settingsDecrypter);
  }

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping pierdat (pierdat.skip)");
      return;
    }
    List<Fetched> fetched = fetchArtifacts();
    // The torrents go into the cache now, while the fetch still holds the piece hashes it computed from the
    // download: a later image goal (another Maven run) would otherwise read and hash every artifact again.
    torrentFiles(fetched);
    PierDat pierDat = PierDat.of(AppCommand.none(), fetched.stream().map(Fetched::entry).toList());
    Path file = outputDirectory.toPath().resolve("pier.dat");
    try {
      PierDatCodec.write(pierDat, file);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write " + file + ": " + e.getMessage(), e);
    }
    getLog().info("Wrote " + file);
  }
}
