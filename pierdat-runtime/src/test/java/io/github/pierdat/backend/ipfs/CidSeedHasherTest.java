package io.github.pierdat.backend.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.SeedSpecHasher;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.Multihash;
import io.github.pierdat.backend.ipfs.gateway.TrustlessGateway;
import io.github.pierdat.backend.ipfs.unixfs.ImportedBlock;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import io.github.pierdat.testing.FileTarget;
import io.github.pierdat.testing.RecordingLog;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CID seed spec takes the leaves a fetch verified, and is always the CID of the bytes. */
class CidSeedHasherTest {

  private static final int CHUNK = UnixFsImporter.DEFAULT_CHUNK_SIZE;

  @TempDir Path dir;

  @Test
  void leavesVerifiedByAKuboDefaultFetchAreTakenNotHashedAndTheCidIsTheSourceCid() throws Exception {
    Path file = TestFiles.random(dir, "data.bin", 3L * CHUNK + 4321, 5);
    Cid root = UnixFsImporter.kuboDefaults().importFile(file);
    CidSeedHasher hasher = new CidSeedHasher(UnixFsImporter.kuboDefaults());

    Path out = fetch(root, file, hasher);

    assertEquals(TestFiles.sha256(file), TestFiles.sha256(out));
    assertEquals(root.toString(), cidOf(hasher, out));
    assertEquals(4, hasher.leavesTaken(), "every leaf taken from the fetch");
  }

  @Test
  void aResumedFetchHandsOverOnlyTheLeavesItWroteInFull() throws Exception {
    Path file = TestFiles.random(dir, "data.bin", 3L * CHUNK + 4321, 9);
    Cid root = UnixFsImporter.kuboDefaults().importFile(file);
    // An earlier attempt left the first leaf and 100 bytes of the second.
    byte[] bytes = Files.readAllBytes(file);
    Files.write(dir.resolve("out.bin"), Arrays.copyOf(bytes, CHUNK + 100));
    CidSeedHasher hasher = new CidSeedHasher(UnixFsImporter.kuboDefaults());

    Path out = fetch(root, file, hasher);

    assertEquals(TestFiles.sha256(file), TestFiles.sha256(out));
    assertEquals(root.toString(), cidOf(hasher, out));
    assertEquals(2, hasher.leavesTaken(), "the third and fourth leaves; the first two were not written by this fetch");
  }

  @Test
  void leavesOfAnotherLayoutAreHashedAndTheSpecIsStillTheKuboDefaultCid() throws Exception {
    // ipfs add --cid-version=1: raw leaves, which are not the dag-pb leaves a CIDv0 import makes.
    Path file = TestFiles.random(dir, "data.bin", 2L * CHUNK + 99, 6);
    Cid v1 = UnixFsImporter.builder().cidVersion(1).rawLeaves(true).build().importFile(file);
    CidSeedHasher hasher = new CidSeedHasher(UnixFsImporter.kuboDefaults());

    Path out = fetch(v1, file, hasher);

    assertEquals(UnixFsImporter.kuboDefaults().importFile(file).toString(), cidOf(hasher, out));
    assertEquals(0, hasher.leavesTaken());
  }

  @Test
  void aHandOverThatDoesNotLineUpWithTheImportsChunksIsIgnored() throws Exception {
    Path file = TestFiles.random(dir, "data.bin", 2L * CHUNK, 7);
    Cid bogus = Cid.v0(Multihash.of(new byte[] {1, 2, 3}));
    CidSeedHasher hasher = new CidSeedHasher(UnixFsImporter.kuboDefaults());
    hasher.verifiedLeaf(new ImportedBlock(bogus, ImportedBlock.Kind.FILE_LEAF, 1, CHUNK, null));
    hasher.verifiedLeaf(new ImportedBlock(bogus, ImportedBlock.Kind.FILE_LEAF, CHUNK, CHUNK - 1, null));
    hasher.verifiedLeaf(new ImportedBlock(bogus, ImportedBlock.Kind.RAW_LEAF, CHUNK, CHUNK, null));

    assertEquals(UnixFsImporter.kuboDefaults().importFile(file).toString(), cidOf(hasher, file));
    assertEquals(0, hasher.leavesTaken());
  }

  @Test
  void handOversBeyondTheBoundAreDroppedWithoutBlockingTheFetch() throws Exception {
    Path file = TestFiles.random(dir, "data.bin", CHUNK + 10, 8);
    CidSeedHasher hasher = new CidSeedHasher(UnixFsImporter.kuboDefaults());
    Cid bogus = Cid.v0(Multihash.of(new byte[] {9}));
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      for (int i = 0; i < CidSeedHasher.MAX_PENDING_LEAVES + 100; i++) {
        hasher.verifiedLeaf(new ImportedBlock(bogus, ImportedBlock.Kind.FILE_LEAF, 7L + i, 1, null));
      }
    });
    assertEquals(UnixFsImporter.kuboDefaults().importFile(file).toString(), cidOf(hasher, file));
  }

  /** Fetches {@code root} from a trustless gateway serving {@code file} into a target running {@code hasher}. */
  private Path fetch(Cid root, Path file, CidSeedHasher hasher) throws Exception {
    TrustlessGateway gateway = TrustlessGateway.builder().file(root, file).build();
    Path out = dir.resolve("out.bin");
    try (TestHttpServer gw = TestHttpServer.gateway(gateway); FileTarget target = new FileTarget(out)) {
      FetchContext context = FetchContext.builder().readTimeout(Duration.ofSeconds(10)).log(new RecordingLog())
          .option(IpfsOptions.GATEWAYS, gw.base().toString()).build();
      new IpfsBackend().fetch(URI.create("ipfs://" + root), new WithHasher(target, hasher), context);
    }
    return out;
  }

  /** Feeds {@code file} to the hasher in 1 MiB pieces, as the fetcher's seed-spec thread does, and finishes it. */
  private static String cidOf(SeedSpecHasher hasher, Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    for (int off = 0; off < bytes.length; off += 1 << 20) {
      hasher.update(bytes, off, Math.min(1 << 20, bytes.length - off));
    }
    ArtifactEntry entry = new ArtifactEntry("data.bin", "/data/data.bin", bytes.length, TestFiles.sha256(file),
        List.of(), List.of());
    Optional<SeedEntry> spec = hasher.finish(entry, file);
    return spec.orElseThrow().params().get(IpfsBackend.CID_PARAM);
  }

  /** A file target that runs {@code hasher} as the ipfs backend's seed-spec hasher. */
  private record WithHasher(FileTarget target, SeedSpecHasher hasher) implements FetchTarget {
    @Override
    public Optional<SeedSpecHasher> seedSpecHasher(String backend) {
      return backend.equals(IpfsBackend.NAME) ? Optional.of(hasher) : Optional.empty();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return target.write(src);
    }

    @Override
    public long position() {
      return target.position();
    }

    @Override
    public void reset() throws IOException {
      target.reset();
    }

    @Override
    public void expectSize(long totalBytes) {
      target.expectSize(totalBytes);
    }

    @Override
    public long knownSize() {
      return target.knownSize();
    }

    @Override
    public boolean isOpen() {
      return target.isOpen();
    }

    @Override
    public void close() throws IOException {
      target.close();
    }
  }
}
