package io.github.pierdat.backend.ipfs;

import com.sun.net.httpserver.HttpServer;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.ipfs.car.CarReader;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.gateway.TrustlessGateway;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsFileAssembler;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import io.github.pierdat.testing.FileTarget;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A manual profiling harness for the CAR path, not a test (nothing is asserted, nothing runs it in the
 * build): {@code java -cp <test class path> io.github.pierdat.backend.ipfs.CarFetchHarness FILE WORKDIR
 * [REPS] [all|http]}. It writes FILE's CAR (kubo defaults) to WORKDIR once, then per repetition times
 * (wall and the main thread's CPU) reading and verifying the CAR from disk, reassembling the file from it,
 * and a whole {@link IpfsBackend} fetch through a loopback HTTP server into a file. The first repetition
 * of a fresh JVM shows the cold (not yet JIT-compiled) cost that {@code pierdat get} pays once.
 */
public final class CarFetchHarness {

  private CarFetchHarness() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Path work = Files.createDirectories(Path.of(args[1]));
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    boolean httpOnly = args.length > 3 && args[3].equals("http");
    Cid cid = UnixFsImporter.kuboDefaults().importFile(file);
    Path car = work.resolve(cid + ".car");
    if (!Files.exists(car)) {
      TrustlessGateway gateway = TrustlessGateway.builder().file(cid, file).build();
      try (OutputStream out = Files.newOutputStream(car)) {
        gateway.respond("GET", URI.create("/ipfs/" + cid + "?format=car"), TrustlessGateway.CAR).writeBody(out);
      }
    }
    double mib = Files.size(file) / 1048576.0;
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ipfs/", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", GatewayClient.CAR + "; version=1; order=dfs; dups=y");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        Files.copy(car, out);
      }
    });
    server.start();
    try {
      String gateway = "http://127.0.0.1:" + server.getAddress().getPort();
      Path out = work.resolve("out.bin");
      for (int rep = 0; rep < reps; rep++) {
        if (!httpOnly) {
          time("CAR read + verify (file)", mib, () -> {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(car), 1 << 16)) {
              CarReader reader = new CarReader(in, "file");
              while (reader.next() != null) {
                // only reading and verifying
              }
            }
          });
          time("reassemble to nowhere (file)", mib, () -> {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(car), 1 << 16)) {
              CarBlockSource blocks = new CarBlockSource(new CarReader(in, "file"), null, "file", false, true);
              new UnixFsFileAssembler(blocks).assemble(cid, Channels.newChannel(OutputStream.nullOutputStream()),
                  0, size -> { });
            }
          });
        }
        time("IpfsBackend.fetch (HTTP -> file)", mib, () -> {
          Files.deleteIfExists(out);
          FetchContext context = FetchContext.builder().readTimeout(Duration.ofSeconds(60))
              .option(IpfsOptions.GATEWAYS, gateway).build();
          try (FileTarget target = new FileTarget(out)) {
            new IpfsBackend().fetch(URI.create("ipfs://" + cid), target, context);
          }
        });
      }
    } finally {
      server.stop(0);
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void time(String what, double mib, Step step) throws Exception {
    var threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    step.run();
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
    System.out.printf("%-34s %6.2f s wall %6.2f s CPU (main thread)  %6.0f MiB/s wall  %6.0f MiB/s CPU%n",
        what, wall, cpu, mib / wall, mib / cpu);
  }
}
