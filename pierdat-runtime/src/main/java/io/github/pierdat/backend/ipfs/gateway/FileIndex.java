package io.github.pierdat.backend.ipfs.gateway;

import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.Multihash;
import io.github.pierdat.backend.ipfs.dagpb.PbLink;
import io.github.pierdat.backend.ipfs.dagpb.PbNode;
import io.github.pierdat.backend.ipfs.unixfs.ImportedBlock;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsData;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every block of one seeded file, found by re-running the importer over it. Memory: about 150 bytes per
 * 256 KiB leaf plus the interior nodes (~8 KiB per 174 leaves), i.e. well under 0.1 % of the file size.
 */
final class FileIndex {

  private final Cid root;
  private final Path file;
  private final Map<Multihash, BlockLocation> blocks;

  private FileIndex(Cid root, Path file, Map<Multihash, BlockLocation> blocks) {
    this.root = root;
    this.file = file;
    this.blocks = blocks;
  }

  /**
   * Indexes {@code file}, which must import to {@code root} with one of the parameter sets that can
   * produce it ({@link UnixFsImporter#candidatesFor}).
   *
   * @throws IOException when the file cannot be read or does not hash to {@code root}
   */
  static FileIndex build(Cid root, Path file) throws IOException {
    StringBuilder tried = new StringBuilder();
    for (UnixFsImporter importer : UnixFsImporter.candidatesFor(root)) {
      Map<Multihash, BlockLocation> blocks = new HashMap<>();
      Cid cid = importer.importFile(file, block -> blocks.put(block.cid().multihash(), locate(block)));
      if (cid.multihash().equals(root.multihash())) {
        return new FileIndex(root, file, blocks);
      }
      tried.append(tried.length() == 0 ? "" : "; ").append(cid).append(" with ").append(importer.describe());
    }
    throw new IOException("file " + file + " does not hash to CID " + root + " (got " + tried
        + "); it changed since its CID was computed, or was added with other parameters");
  }

  private static BlockLocation locate(ImportedBlock block) throws IOException {
    if (block.kind() != ImportedBlock.Kind.INTERIOR) {
      return new BlockLocation(block.cid(), block.kind(), block.offset(), block.length(), null, List.of(), null);
    }
    String what = block.cid().toString();
    PbNode node = PbNode.decode(block.node(), what);
    UnixFsData data = UnixFsData.decode(node.data(), what);
    List<Cid> children = node.links().stream().map(PbLink::cid).toList();
    return new BlockLocation(block.cid(), block.kind(), block.offset(), block.length(), block.node(),
        children, data.blocksizes());
  }

  Cid root() {
    return root;
  }

  /** The root block's location. */
  BlockLocation rootLocation() {
    return blocks.get(root.multihash());
  }

  BlockLocation get(Multihash multihash) {
    return blocks.get(multihash);
  }

  Map<Multihash, BlockLocation> blocks() {
    return blocks;
  }

  /** Opens the file for {@link #read}. */
  FileChannel open() throws IOException {
    return FileChannel.open(file);
  }

  /**
   * The block at {@code location}, regenerated and checked against its CID.
   *
   * @throws IOException when the file changed under the index
   */
  byte[] read(BlockLocation location, FileChannel channel) throws IOException {
    byte[] block;
    if (location.kind() == ImportedBlock.Kind.INTERIOR) {
      block = location.node();
    } else {
      byte[] data = new byte[(int) location.length()];
      ByteBuffer buf = ByteBuffer.wrap(data);
      long pos = location.offset();
      while (buf.hasRemaining()) {
        int n = channel.read(buf, pos);
        if (n < 0) {
          throw new IOException("file for CID " + root + " is shorter than when indexed");
        }
        pos += n;
      }
      block = location.kind() == ImportedBlock.Kind.RAW_LEAF ? data : UnixFsImporter.fileLeaf(data, 0, data.length);
    }
    // Never serve a block that does not match its CID, even if the file changed on disk.
    if (!location.cid().multihash().matches(block)) {
      throw new IOException("block " + location.cid() + " of CID " + root + " no longer matches the file");
    }
    return block;
  }
}
