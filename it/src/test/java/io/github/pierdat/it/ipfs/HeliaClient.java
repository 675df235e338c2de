package io.github.pierdat.it.ipfs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Helia 7 client (it/tools/helia/fetch-from-gateway.mjs): fetches a UnixFS file by CID from one
 * trustless gateway and nothing else, verifying every block against its CID, and writes it to a file.
 */
final class HeliaClient {

  private HeliaClient() {}

  /** Fetches {@code cid} from {@code gateway} into {@code out}; fails with Helia's output if it cannot. */
  static void fetch(String gateway, String cid, Path out) throws Exception {
    Path tools = NpmTools.installed("helia", false);
    Path log = Files.createTempFile(out.getParent(), "helia", ".log");
    Process node = new ProcessBuilder(List.of("node", "--require", "./with-resolvers.cjs", "fetch-from-gateway.mjs",
        gateway, cid, out.toString()))
        .directory(tools.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    if (!node.waitFor(3, TimeUnit.MINUTES)) {
      node.destroyForcibly();
      throw new AssertionError("Helia did not fetch " + cid + " within 3 minutes:\n" + Files.readString(log));
    }
    if (node.exitValue() != 0) {
      throw new AssertionError("Helia failed to fetch " + cid + " from " + gateway + " (exit " + node.exitValue()
          + "):\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
  }
}
