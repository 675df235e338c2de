package io.github.pierdat.backend.ipfs.unixfs;

import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.Multicodecs;
import io.github.pierdat.backend.ipfs.cid.Multihash;
import io.github.pierdat.backend.ipfs.cid.Varint;
import io.github.pierdat.backend.ipfs.dagpb.ProtoWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Computes the CID of a file exactly as {@code ipfs add} does with kubo's defaults, and optionally reports
 * every block it makes.
 *
 * <p>Kubo's defaults ({@link #kuboDefaults()}):
 * <ul>
 *   <li>CIDv0 (base58btc {@code Qm…}, dag-pb, sha2-256) for every node;</li>
 *   <li>fixed-size chunker: {@value #DEFAULT_CHUNK_SIZE} bytes (256 KiB) per chunk, the last one shorter;</li>
 *   <li>leaves are dag-pb nodes whose Data is UnixFS {@code {Type=File, Data=<chunk>, filesize=<len>}}
 *       (an empty file is one leaf {@code {Type=File, filesize=0}}, CID
 *       {@code QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH});</li>
 *   <li>balanced layout with at most {@value #DEFAULT_MAX_LINKS} links per node: a file of one chunk is that
 *       leaf; otherwise interior dag-pb nodes carry links {@code {Hash, Name="", Tsize}} (Tsize = the node's
 *       encoded size plus its children's Tsizes) and UnixFS {@code {Type=File, filesize, blocksizes}}; every
 *       subtree is filled to {@value #DEFAULT_MAX_LINKS} children before the next starts, and the tree is as
 *       shallow as the chunk count allows.</li>
 * </ul>
 * The builder also offers CIDv1 and raw leaves ({@code ipfs add --cid-version=1}, which implies
 * {@code --raw-leaves}): a leaf is then the chunk itself with codec raw (0x55), and a one-chunk file's CID
 * is that raw block's.
 *
 * <p>Streaming, constant memory: one chunk buffer plus one level of at most {@code maxLinks} pending links
 * per tree depth (a 1 TiB file has depth 3). Each file byte is hashed once.
 */
public final class UnixFsImporter {

  /** Kubo's default chunk size: 256 KiB. */
  public static final int DEFAULT_CHUNK_SIZE = 262144;
  /** Kubo's default maximum number of links per node in the balanced layout. */
  public static final int DEFAULT_MAX_LINKS = 174;

  private static final int READ_BUFFER = 4 << 20;
  private static final UnixFsImporter KUBO_DEFAULTS = builder().build();

  private final int chunkSize;
  private final int maxLinks;
  private final int cidVersion;
  private final boolean rawLeaves;

  private UnixFsImporter(Builder b) {
    this.chunkSize = b.chunkSize;
    this.maxLinks = b.maxLinks;
    this.cidVersion = b.cidVersion;
    this.rawLeaves = b.rawLeaves;
  }

  /** CIDv0, 256 KiB chunks, 174 links, dag-pb leaves: what {@code ipfs add FILE} produces. */
  public static UnixFsImporter kuboDefaults() {
    return KUBO_DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The parameter sets whose output could be {@code root}, most likely first: kubo's defaults for a CIDv0;
   * for a CIDv1 dag-pb root, {@code --cid-version=1} (raw leaves) and then CIDv1 with dag-pb leaves; for a
   * CIDv1 raw root, raw leaves (a one-chunk file). All use 256 KiB chunks and 174 links.
   */
  public static List<UnixFsImporter> candidatesFor(Cid root) {
    if (root.version() == 0) {
      return List.of(KUBO_DEFAULTS);
    }
    UnixFsImporter v1Raw = builder().cidVersion(1).rawLeaves(true).build();
    if (!root.isDagPb()) {
      return List.of(v1Raw);
    }
    return List.of(v1Raw, builder().cidVersion(1).rawLeaves(false).build());
  }

  public int chunkSize() {
    return chunkSize;
  }

  public int maxLinks() {
    return maxLinks;
  }

  public int cidVersion() {
    return cidVersion;
  }

  public boolean rawLeaves() {
    return rawLeaves;
  }

  /** The parameters in words, for messages. */
  public String describe() {
    return "CIDv" + cidVersion + ", " + chunkSize + "-byte chunks, balanced DAG of " + maxLinks + " links, "
        + (rawLeaves ? "raw leaves" : "dag-pb leaves");
  }

  /** The CID of {@code file}'s contents. */
  public Cid importFile(Path file) throws IOException {
    return importFile(file, null);
  }

  /** The CID of {@code file}'s contents, reporting each block to {@code listener} (may be null). */
  public Cid importFile(Path file, BlockListener listener) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Session session = newSession(listener);
      ByteBuffer buf = ByteBuffer.allocate(Math.max(READ_BUFFER, chunkSize));
      while (channel.read(buf) >= 0) {
        if (!buf.hasRemaining()) {
          session.update(buf.array(), 0, buf.position());
          buf.clear();
        }
      }
      session.update(buf.array(), 0, buf.position());
      return session.finish();
    }
  }

  /** The CID of everything {@code in} yields (not closed), reporting each block to {@code listener} (may be null). */
  public Cid importStream(InputStream in, BlockListener listener) throws IOException {
    Session session = newSession(listener);
    byte[] buf = new byte[Math.max(1 << 20, chunkSize)];
    int n;
    while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
      session.update(buf, 0, n);
    }
    return session.finish();
  }

  /** An incremental import: feed bytes with {@link Session#update}, then {@link Session#finish}. */
  public Session newSession(BlockListener listener) {
    return new Session(listener, null);
  }

  /**
   * Like {@link #newSession(BlockListener)}, taking each leaf's multihash from {@code known} when it has it
   * (the bytes are then not hashed again).
   */
  public Session newSession(BlockListener listener, KnownLeaves known) {
    return new Session(listener, known);
  }

  /**
   * True when {@code block} is exactly the dag-pb leaf {@link #fileLeaf} makes for its {@code dataLength}
   * bytes at {@code dataOffset} (what a kubo-default import makes): then the block's multihash is the one
   * {@link #fileLeaf}'s bytes have.
   */
  public static boolean isFileLeaf(byte[] block, int dataOffset, int dataLength) {
    byte[] prefix = fileLeafPrefix(dataLength);
    byte[] suffix = fileLeafSuffix(dataLength);
    return dataLength > 0 && dataOffset == prefix.length
        && block.length == prefix.length + dataLength + suffix.length
        && Arrays.equals(block, 0, prefix.length, prefix, 0, prefix.length)
        && Arrays.equals(block, prefix.length + dataLength, block.length, suffix, 0, suffix.length);
  }

  /** The encoded dag-pb leaf for one chunk, as {@link ImportedBlock.Kind#FILE_LEAF} blocks are made. */
  public static byte[] fileLeaf(byte[] data, int offset, int length) {
    byte[] prefix = fileLeafPrefix(length);
    byte[] suffix = fileLeafSuffix(length);
    byte[] out = new byte[prefix.length + length + suffix.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(data, offset, out, prefix.length, length);
    System.arraycopy(suffix, 0, out, prefix.length + length, suffix.length);
    return out;
  }

  /** The size of the dag-pb leaf {@link #fileLeaf} makes for a chunk of {@code length} bytes. */
  public static int fileLeafLength(int length) {
    return fileLeafPrefix(length).length + length + fileLeafSuffix(length).length;
  }

  // PBNode{Data(1): UnixFS{Type(1)=File, Data(2)=chunk, filesize(3)=len}}; an empty chunk has no Data field.
  private static byte[] fileLeafPrefix(int length) {
    int dataField = length == 0 ? 0 : 1 + Varint.size(length) + length;
    int inner = 2 + dataField + 1 + Varint.size(length);
    byte[] out = new byte[1 + Varint.size(inner) + 2 + (length == 0 ? 0 : 1 + Varint.size(length))];
    int pos = 0;
    out[pos++] = 0x0a;
    pos = Varint.write(inner, out, pos);
    out[pos++] = 0x08;
    out[pos++] = (byte) UnixFsType.FILE.code();
    if (length > 0) {
      out[pos++] = 0x12;
      Varint.write(length, out, pos);
    }
    return out;
  }

  private static byte[] fileLeafSuffix(int length) {
    byte[] out = new byte[1 + Varint.size(length)];
    out[0] = 0x18;
    Varint.write(length, out, 1);
    return out;
  }

  /** One import in progress. Not thread-safe. */
  public final class Session {

    private final BlockListener listener;
    private final KnownLeaves known;
    private final MessageDigest sha = Multihash.newSha256();
    private final byte[] chunk = new byte[chunkSize];
    private final List<Level> levels = new ArrayList<>();
    private int fill;
    private long emitted;
    private long leaves;
    private Cid root;

    private Session(BlockListener listener, KnownLeaves known) {
      this.listener = listener;
      this.known = known;
    }

    /** Adds {@code length} bytes of the file. */
    public void update(byte[] bytes, int offset, int length) throws IOException {
      if (root != null) {
        throw new IllegalStateException("session already finished");
      }
      while (length > 0) {
        if (fill == 0 && length >= chunkSize) {
          // Whole chunks straight from the caller's array: no copy.
          leaf(bytes, offset, chunkSize);
          offset += chunkSize;
          length -= chunkSize;
        } else {
          int n = Math.min(length, chunkSize - fill);
          System.arraycopy(bytes, offset, chunk, fill, n);
          fill += n;
          offset += n;
          length -= n;
          if (fill == chunkSize) {
            leaf(chunk, 0, chunkSize);
            fill = 0;
          }
        }
      }
    }

    /** Bytes added so far. */
    public long size() {
      return emitted + fill;
    }

    /** Ends the file and returns its CID (the same on later calls). */
    public Cid finish() throws IOException {
      if (root != null) {
        return root;
      }
      if (fill > 0 || leaves == 0) {
        leaf(chunk, 0, fill);
        fill = 0;
      }
      if (levels.size() == 1 && levels.get(0).count == 1) {
        root = levels.get(0).cids[0];
        return root;
      }
      for (int depth = 0; ; depth++) {
        Link node = build(depth);
        if (depth == levels.size() - 1) {
          root = node.cid;
          return root;
        }
        add(depth + 1, node);
      }
    }

    private void leaf(byte[] bytes, int offset, int length) throws IOException {
      Cid cid;
      long tsize;
      ImportedBlock.Kind kind = rawLeaves ? ImportedBlock.Kind.RAW_LEAF : ImportedBlock.Kind.FILE_LEAF;
      Multihash given = known == null || length == 0 ? null : known.leaf(emitted, length, kind);
      if (rawLeaves) {
        if (given == null) {
          sha.update(bytes, offset, length);
          given = Multihash.sha256(sha.digest());
        }
        cid = Cid.v1(Multicodecs.RAW, given);
        tsize = length;
      } else {
        byte[] prefix = fileLeafPrefix(length);
        byte[] suffix = fileLeafSuffix(length);
        if (given == null) {
          sha.update(prefix);
          sha.update(bytes, offset, length);
          sha.update(suffix);
          given = Multihash.sha256(sha.digest());
        }
        cid = nodeCid(given);
        tsize = prefix.length + length + suffix.length;
      }
      if (listener != null) {
        listener.block(new ImportedBlock(cid, kind, emitted, length, null));
      }
      add(0, new Link(cid, tsize, length, emitted));
      emitted += length;
      leaves++;
    }

    // A full level is only closed when another link arrives for it, so the tree never grows a level that
    // the data does not need (kubo's balanced builder checks for more data before adding a root).
    private void add(int depth, Link link) throws IOException {
      if (depth == levels.size()) {
        levels.add(new Level(maxLinks));
      }
      Level level = levels.get(depth);
      if (level.count == maxLinks) {
        add(depth + 1, build(depth));
      }
      level.add(link);
    }

    private Link build(int depth) throws IOException {
      Level level = levels.get(depth);
      ProtoWriter node = new ProtoWriter(level.count * 48 + level.count * 4 + 16);
      long size = 0;
      long tsizes = 0;
      for (int i = 0; i < level.count; i++) {
        ProtoWriter link = new ProtoWriter(48);
        link.bytesField(1, level.cids[i].toBytes());
        link.bytesField(2, new byte[0]);
        link.varintField(3, level.tsizes[i]);
        node.bytesField(2, link.toByteArray());
        size += level.sizes[i];
        tsizes += level.tsizes[i];
      }
      long[] blocksizes = java.util.Arrays.copyOf(level.sizes, level.count);
      node.bytesField(1, new UnixFsData(UnixFsType.FILE, null, size, blocksizes).encode());
      byte[] bytes = node.toByteArray();
      Cid cid = nodeCid(sha.digest(bytes));
      long start = level.start;
      level.count = 0;
      if (listener != null) {
        listener.block(new ImportedBlock(cid, ImportedBlock.Kind.INTERIOR, start, size, bytes));
      }
      return new Link(cid, bytes.length + tsizes, size, start);
    }

    private Cid nodeCid(byte[] digest) {
      return nodeCid(Multihash.sha256(digest));
    }

    private Cid nodeCid(Multihash mh) {
      return cidVersion == 0 ? Cid.v0(mh) : Cid.v1(Multicodecs.DAG_PB, mh);
    }
  }

  private record Link(Cid cid, long tsize, long size, long start) {}

  /** The pending links of one node under construction. */
  private static final class Level {
    final Cid[] cids;
    final long[] tsizes;
    final long[] sizes;
    int count;
    long start;

    Level(int capacity) {
      cids = new Cid[capacity];
      tsizes = new long[capacity];
      sizes = new long[capacity];
    }

    void add(Link link) {
      if (count == 0) {
        start = link.start;
      }
      cids[count] = link.cid;
      tsizes[count] = link.tsize;
      sizes[count] = link.size;
      count++;
    }
  }

  /** Fluent builder; every setting defaults to kubo's. */
  public static final class Builder {
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private int maxLinks = DEFAULT_MAX_LINKS;
    private int cidVersion = 0;
    private boolean rawLeaves;

    private Builder() {}

    /** Bytes per leaf (1 B to 1 MiB; kubo refuses blocks over 1 MiB by default). */
    public Builder chunkSize(int value) {
      if (value < 1 || value > (1 << 20)) {
        throw new IllegalArgumentException("chunkSize must be between 1 and 1048576 bytes, was " + value);
      }
      this.chunkSize = value;
      return this;
    }

    /** Links per interior node (at least 2). */
    public Builder maxLinks(int value) {
      if (value < 2) {
        throw new IllegalArgumentException("maxLinks must be at least 2, was " + value);
      }
      this.maxLinks = value;
      return this;
    }

    /** 0 (kubo's default) or 1. */
    public Builder cidVersion(int value) {
      if (value != 0 && value != 1) {
        throw new IllegalArgumentException("cidVersion must be 0 or 1, was " + value);
      }
      this.cidVersion = value;
      return this;
    }

    /** Raw leaves (codec raw) instead of dag-pb UnixFS leaves; kubo uses them with CIDv1. */
    public Builder rawLeaves(boolean value) {
      this.rawLeaves = value;
      return this;
    }

    public UnixFsImporter build() {
      return new UnixFsImporter(this);
    }
  }
}
