package io.github.pierdat.backend.ipfs;

import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.SeedSpecHasher;
import io.github.pierdat.backend.ipfs.cid.Multihash;
import io.github.pierdat.backend.ipfs.unixfs.BlockListener;
import io.github.pierdat.backend.ipfs.unixfs.ImportedBlock;
import io.github.pierdat.backend.ipfs.unixfs.KnownLeaves;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The artifact's CID seed spec, built from its bytes as they are fetched (fed by the fetcher's seed-spec
 * thread). When the artifact itself comes from IPFS, the fetching thread hands over each leaf it has verified
 * and written ({@link #feeding}); a leaf that is exactly the block the importer would make for the same bytes
 * then costs no second SHA-256: for a file added with the same parameters (kubo's defaults) only the interior
 * nodes are hashed. Any other leaf (another chunk size, raw leaves for a CIDv0 import, a hand-over dropped
 * because this side fell behind) is hashed from the bytes as before, so the result is always the CID of the
 * bytes.
 */
final class CidSeedHasher implements SeedSpecHasher, KnownLeaves {

  /** Leaves handed over and not yet reached: 256 MiB of kubo-default chunks. Beyond that they are dropped. */
  static final int MAX_PENDING_LEAVES = 1024;

  private final ArrayBlockingQueue<ImportedBlock> verified = new ArrayBlockingQueue<>(MAX_PENDING_LEAVES);
  private final UnixFsImporter.Session session;
  private int leavesTaken;

  CidSeedHasher(UnixFsImporter importer) {
    this.session = importer.newSession(null, this);
  }

  /**
   * A listener for {@link io.github.pierdat.backend.ipfs.unixfs.UnixFsFileAssembler} that hands each verified,
   * written leaf to the CID seed-spec hasher {@code target} runs, if any.
   */
  static BlockListener feeding(FetchTarget target) {
    return leaf -> {
      Optional<SeedSpecHasher> hasher = target.seedSpecHasher(IpfsBackend.NAME);
      if (hasher.isPresent() && hasher.get() instanceof CidSeedHasher cids) {
        cids.verifiedLeaf(leaf);
      }
    };
  }

  /**
   * From the fetching thread: {@code leaf} was verified against its CID and its bytes were written at its
   * offset, in full. Never blocks; dropped when too many are waiting.
   */
  void verifiedLeaf(ImportedBlock leaf) {
    if (leaf.kind() != ImportedBlock.Kind.INTERIOR) {
      verified.offer(leaf);
    }
  }

  /** From the seed-spec thread (through the import session). */
  @Override
  public Multihash leaf(long offset, int length, ImportedBlock.Kind kind) {
    ImportedBlock head;
    while ((head = verified.peek()) != null && head.offset() < offset) {
      verified.poll();
    }
    if (head != null && head.offset() == offset && head.length() == length && head.kind() == kind) {
      verified.poll();
      leavesTaken++;
      return head.cid().multihash();
    }
    return null;
  }

  /** Leaves whose multihash was taken from the fetch instead of hashed (read by the seed-spec thread). */
  int leavesTaken() {
    return leavesTaken;
  }

  @Override
  public void update(byte[] bytes, int offset, int length) throws IOException {
    session.update(bytes, offset, length);
  }

  @Override
  public Optional<SeedEntry> finish(ArtifactEntry artifact, Path file) throws IOException {
    if (session.size() != artifact.size()) {
      return Optional.empty();
    }
    return Optional.of(new SeedEntry(IpfsBackend.NAME, Map.of(IpfsBackend.CID_PARAM, session.finish().toString())));
  }
}
