package io.github.pierdat.backend.bittorrent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short external commands (mktorrent, aria2c -S, transmission-show) and returns their output. */
final class Commands {

  private Commands() {}

  /** Runs {@code command} in {@code dir}, fails unless it exits 0 within a minute; returns stdout+stderr. */
  static String run(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish within 60 s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
    }
    return text;
  }
}
