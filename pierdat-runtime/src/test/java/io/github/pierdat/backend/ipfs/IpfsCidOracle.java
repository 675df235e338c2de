package io.github.pierdat.backend.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The third-party oracle: Debian's {@code ipfs_cid} (package ipfs-cid), which prints the kubo-default CID of
 * a file as {@code {"CIDv0":"Qm…","CIDv1":"bafy…"}} (its CIDv1 is the root of that same CIDv0 DAG written as a CIDv1, not {@code --cid-version=1}).
 */
final class IpfsCidOracle {

  private static final Pattern V0 = Pattern.compile("\"CIDv0\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern V1 = Pattern.compile("\"CIDv1\"\\s*:\\s*\"([^\"]+)\"");

  private IpfsCidOracle() {}

  /** The CIDs ipfs_cid computes for {@code file}: [CIDv0, CIDv1]. */
  static String[] cids(Path file) throws IOException, InterruptedException {
    Path binary = findBinary();
    Path out = Files.createTempFile("ipfs_cid", ".json");
    try {
      Process process = new ProcessBuilder(binary.toString(), file.toString())
          .redirectOutput(out.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail("ipfs_cid " + file + " did not finish within 5 minutes");
      }
      String json = Files.readString(out, StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), "ipfs_cid " + file + " failed: " + json);
      return new String[] {group(V0, json), group(V1, json)};
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String group(Pattern pattern, String json) {
    Matcher m = pattern.matcher(json);
    if (!m.find()) {
      fail("unexpected ipfs_cid output: " + json);
    }
    return m.group(1);
  }

  private static Path findBinary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, "ipfs_cid");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail("the CID oracle ipfs_cid is not installed; install it with: apt-get install -y ipfs-cid");
  }
}
