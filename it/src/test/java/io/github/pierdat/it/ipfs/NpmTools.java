package io.github.pierdat.it.ipfs;

import io.github.pierdat.it.fixture.ItEnvironment;
import io.github.pierdat.it.fixture.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The npm-installed peers of the IPFS tests (it/tools/ipfs: js-ipfs, it/tools/helia: a Helia client):
 * their committed package.json, package-lock.json and scripts are copied to the test cache and installed
 * there with {@code npm ci}, once per lockfile (a marker holds the lockfile's sha256), so later runs start at once.
 */
final class NpmTools {

  private NpmTools() {}

  /**
   * The installed copy of it/tools/{@code name}, with its node_modules and scripts.
   *
   * @param omitOptional install without optional dependencies ({@code --omit=optional})
   */
  static synchronized Path installed(String name, boolean omitOptional) throws IOException, InterruptedException {
    // The sample projects live in it/src/test/projects; the tools beside src, in it/tools.
    Path source = ItEnvironment.projects().getParent().getParent().getParent().resolve("tools").resolve(name);
    Path lock = source.resolve("package-lock.json");
    if (!Files.isRegularFile(lock)) {
      throw new IllegalStateException("no " + lock + ": the npm tools of the IPFS tests are missing");
    }
    Path target = Files.createDirectories(ItEnvironment.cache().resolve("npm").resolve(name));
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path marker = target.resolve("node_modules").resolve(".pierdat-lock-sha256");
    String want = Sha256.hex(lock);
    if (Files.isRegularFile(marker) && Files.readString(marker).strip().equals(want)) {
      return target;
    }
    Path log = target.resolve("npm-ci.log");
    List<String> command = new java.util.ArrayList<>(List.of("npm", "ci", "--no-audit", "--no-fund"));
    if (omitOptional) {
      command.add("--omit=optional");
    }
    Process npm = new ProcessBuilder(command)
        .directory(target.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    if (!npm.waitFor(20, TimeUnit.MINUTES)) {
      npm.destroyForcibly();
      throw new IllegalStateException("npm ci in " + target + " did not finish within 20 minutes; see " + log);
    }
    if (npm.exitValue() != 0) {
      throw new IllegalStateException("npm ci in " + target + " failed (exit " + npm.exitValue() + "):\n"
          + Files.readString(log, StandardCharsets.UTF_8));
    }
    Files.writeString(marker, want);
    return target;
  }
}
