package io.github.pierdat.backend.ipfs;

import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints the UnixFS CID of files, like {@code ipfs add --only-hash}, with timing, for benchmarks and manual
 * checks: {@code java -cp pierdat-runtime.jar io.github.pierdat.backend.ipfs.CidCommand [--cid-version=1]
 * [--raw-leaves] FILE…}. One line per file, tab-separated: CID, size in bytes, milliseconds, MB/s, file.
 * Exit status 0, 1 when a file cannot be read, 2 for bad arguments.
 */
public final class CidCommand {

  private CidCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    UnixFsImporter.Builder builder = UnixFsImporter.builder();
    int files = 0;
    int status = 0;
    for (String arg : args) {
      if (arg.equals("--cid-version=1")) {
        builder.cidVersion(1).rawLeaves(true);
      } else if (arg.equals("--cid-version=0")) {
        builder.cidVersion(0);
      } else if (arg.equals("--raw-leaves")) {
        builder.rawLeaves(true);
      } else if (arg.equals("--raw-leaves=false")) {
        builder.rawLeaves(false);
      } else if (arg.startsWith("-")) {
        err.println("unknown option " + arg + "; usage: CidCommand [--cid-version=0|1] [--raw-leaves[=false]] FILE...");
        return 2;
      }
    }
    UnixFsImporter importer = builder.build();
    for (String arg : args) {
      if (arg.startsWith("-")) {
        continue;
      }
      files++;
      Path file = Path.of(arg);
      try {
        long start = System.nanoTime();
        Cid cid = importer.importFile(file);
        long nanos = System.nanoTime() - start;
        long size = Files.size(file);
        double mbs = nanos == 0 ? 0 : size / 1e6 / (nanos / 1e9);
        out.printf("%s\t%d\t%d\t%.1f\t%s%n", cid, size, nanos / 1_000_000, mbs, file);
      } catch (IOException e) {
        err.println("cannot read " + file + ": " + e);
        status = 1;
      }
    }
    if (files == 0) {
      err.println("usage: CidCommand [--cid-version=0|1] [--raw-leaves[=false]] FILE...");
      return 2;
    }
    return status;
  }
}
