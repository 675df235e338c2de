package io.github.pierdat.backend.ipfs.unixfs;

import io.github.pierdat.backend.ipfs.cid.Block;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.dagpb.ByteRange;
import io.github.pierdat.backend.ipfs.dagpb.PbNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Reassembles a UnixFS file from its DAG: walks it depth first from the root, asking a {@link BlockSource}
 * for each (verified) block, and writes the file bytes in order as they come. Any file layout is accepted
 * (balanced, trickle, raw or dag-pb leaves, data in interior nodes); only the bytes matter. Memory: one
 * block per DAG level.
 */
public final class UnixFsFileAssembler {

  /** Deeper than any real file DAG (174^32 chunks); stops forged chains from exhausting the stack. */
  private static final int MAX_DEPTH = 32;

  private final BlockSource source;
  private final BlockListener leaves;

  public UnixFsFileAssembler(BlockSource source) {
    this(source, null);
  }

  /**
   * An assembler that also tells {@code leaves} (may be null) of each leaf, once its bytes are written in
   * full, that is exactly what {@link UnixFsImporter} makes for them: a raw leaf ({@link
   * ImportedBlock.Kind#RAW_LEAF}) or a dag-pb leaf of {@link UnixFsImporter#fileLeaf}'s form ({@link
   * ImportedBlock.Kind#FILE_LEAF}), with its verified CID and where its bytes are in the file.
   */
  public UnixFsFileAssembler(BlockSource source, BlockListener leaves) {
    this.source = Objects.requireNonNull(source);
    this.leaves = leaves;
  }

  /**
   * Writes the file {@code root} to {@code out}, leaving out its first {@code skip} bytes (already present
   * from an earlier attempt).
   *
   * @param sizeKnown told the file size as soon as the root block says it
   * @return the file size
   * @throws UnixFsException when the root is not a UnixFS file (e.g. a directory) or the DAG is inconsistent
   */
  public long assemble(Cid root, WritableByteChannel out, long skip, LongConsumer sizeKnown) throws IOException {
    return new Walk(out, skip, sizeKnown).node(root, 0, -1);
  }

  private final class Walk {
    private final WritableByteChannel out;
    private final long skip;
    private final LongConsumer sizeKnown;
    private long offset;

    Walk(WritableByteChannel out, long skip, LongConsumer sizeKnown) {
      this.out = out;
      this.skip = skip;
      this.sizeKnown = sizeKnown;
    }

    /** Writes the subtree at {@code cid}; returns its file bytes. */
    long node(Cid cid, int depth, long expectedSize) throws IOException {
      if (depth > MAX_DEPTH) {
        throw new UnixFsException("the DAG under " + cid + " is deeper than " + MAX_DEPTH + " levels; not a UnixFS file");
      }
      Block block = source.get(cid);
      long start = offset;
      if (!cid.isDagPb()) {
        if (depth == 0) {
          sizeKnown.accept(block.bytes().length);
        }
        emit(ByteRange.of(block.bytes()));
        written(cid, ImportedBlock.Kind.RAW_LEAF, start);
        source.release(block);
        return checkSize(cid, start, expectedSize);
      }
      PbNode node = PbNode.decode(block.bytes(), cid.toString());
      if (node.data() == null) {
        throw new UnixFsException("CID " + cid + " is a dag-pb node without UnixFS data, not a UnixFS file");
      }
      UnixFsData data = UnixFsData.decode(node.data(), cid.toString());
      if (data.type() == UnixFsType.DIRECTORY || data.type() == UnixFsType.HAMT_SHARD) {
        throw new UnixFsException("CID " + cid + " is a UnixFS " + data.type().description()
            + ", not a file; give the CID of a file inside it");
      }
      if (data.type() != UnixFsType.FILE && data.type() != UnixFsType.RAW) {
        throw new UnixFsException("CID " + cid + " is a UnixFS " + data.type().description() + ", not a file");
      }
      if (depth == 0 && data.filesize() >= 0) {
        sizeKnown.accept(data.filesize());
      }
      List<io.github.pierdat.backend.ipfs.dagpb.PbLink> links = node.links();
      if (data.data() != null) {
        emit(data.data());
        if (links.isEmpty() && data.data().array() == block.bytes()
            && UnixFsImporter.isFileLeaf(block.bytes(), data.data().offset(), data.data().length())) {
          written(cid, ImportedBlock.Kind.FILE_LEAF, start);
        }
      }
      long[] sizes = data.blocksizes();
      // Links and sizes are decoded copies: the block's bytes are no longer needed.
      source.release(block);
      boolean sized = sizes.length == links.size();
      for (int i = 0; i < links.size(); i++) {
        long childSize = sized ? sizes[i] : -1;
        if (sized && !source.sequential() && offset + childSize <= skip) {
          // Already present: no need to fetch this subtree at all.
          offset += childSize;
          continue;
        }
        node(links.get(i).cid(), depth + 1, childSize);
      }
      return checkSize(cid, start, data.filesize() >= 0 ? data.filesize() : expectedSize);
    }

    /** Reports a leaf whose bytes, from {@code start} to here, were all written by this walk. */
    private void written(Cid cid, ImportedBlock.Kind kind, long start) throws IOException {
      if (leaves != null && start >= skip && offset > start) {
        leaves.block(new ImportedBlock(cid, kind, start, offset - start, null));
      }
    }

    private long checkSize(Cid cid, long start, long expected) throws UnixFsException {
      long actual = offset - start;
      if (expected >= 0 && actual != expected) {
        throw new UnixFsException("the DAG under " + cid + " is inconsistent: its sizes say " + expected
            + " bytes, its blocks hold " + actual);
      }
      return actual;
    }

    private void emit(ByteRange bytes) throws IOException {
      long end = offset + bytes.length();
      if (end > skip) {
        int from = (int) Math.max(0, skip - offset);
        ByteBuffer buf = ByteBuffer.wrap(bytes.array(), bytes.offset() + from, bytes.length() - from);
        while (buf.hasRemaining()) {
          out.write(buf);
        }
      }
      offset = end;
    }
  }
}
