package io.github.pierdat.backend.ipfs.cid;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A content identifier restricted to what UnixFS files need: CIDv0 (base58btc, dag-pb, sha2-256) and
 * CIDv1 with codec dag-pb (0x70) or raw (0x55) and a sha2-256 (0x12) multihash. Anything else is refused
 * by {@link #parse} and {@link #readFrom} with a {@link CidFormatException} naming the CID and the
 * unsupported part. Immutable; equal when version, codec and multihash are equal.
 */
public final class Cid {

  private static final String SUPPORTED =
      "supported: CIDv0 (Qm…) and CIDv1 with codec dag-pb (0x70) or raw (0x55) and hash sha2-256 (0x12)";

  private final int version;
  private final int codec;
  private final Multihash multihash;
  /** The text form, computed on first use (a benign race: every thread computes the same string). */
  private String text;

  private Cid(int version, int codec, Multihash multihash) {
    this.version = version;
    this.codec = codec;
    this.multihash = Objects.requireNonNull(multihash);
  }

  /** A CIDv0 (always dag-pb). */
  public static Cid v0(Multihash multihash) {
    return new Cid(0, Multicodecs.DAG_PB, multihash);
  }

  /** A CIDv1 with codec {@link Multicodecs#DAG_PB} or {@link Multicodecs#RAW}. */
  public static Cid v1(int codec, Multihash multihash) {
    if (codec != Multicodecs.DAG_PB && codec != Multicodecs.RAW) {
      throw new CidFormatException("codec " + Multicodecs.codecName(codec) + " is not supported; " + SUPPORTED);
    }
    return new Cid(1, codec, multihash);
  }

  /**
   * Parses a CID in its text form: a 46-character {@code Qm…} CIDv0, or a multibase-prefixed CIDv1
   * ({@code b} base32, {@code z} base58btc, {@code k} base36, {@code f} base16, and their upper-case forms).
   *
   * @throws CidFormatException naming the text and what is wrong, or what is unsupported
   */
  public static Cid parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new CidFormatException("invalid CID \"\": it is empty; expected e.g. Qm… (CIDv0) or bafy… (CIDv1)");
    }
    byte[] bytes;
    if (text.startsWith("Qm") && text.length() != 46) {
      throw new CidFormatException("invalid CID \"" + text + "\": a CIDv0 (Qm…) has 46 characters, this has "
          + text.length() + "; it may be truncated or mistyped");
    }
    if (text.length() == 46 && text.startsWith("Qm")) {
      try {
        bytes = Multibase.BASE58BTC.decodeBare(text);
      } catch (IllegalArgumentException e) {
        throw new CidFormatException("invalid CID \"" + text + "\": malformed base58btc: " + e.getMessage(), e);
      }
      if (bytes.length != 34 || bytes[0] != Multicodecs.SHA2_256 || bytes[1] != Multihash.SHA2_256_LENGTH) {
        throw new CidFormatException("invalid CID \"" + text
            + "\": a CIDv0 must be a base58btc sha2-256 multihash (34 bytes starting 0x12 0x20)");
      }
    } else {
      char prefix = text.charAt(0);
      Multibase base = Multibase.forPrefix(prefix);
      if (base == null) {
        throw new CidFormatException("invalid CID \"" + text + "\": unknown multibase prefix '" + prefix
            + "'; expected 'b' (base32), 'z' (base58btc), 'k' (base36), 'f' (base16), or a CIDv0 starting with Qm");
      }
      try {
        bytes = base.decodeBare(text.substring(1));
      } catch (IllegalArgumentException e) {
        throw new CidFormatException("invalid CID \"" + text + "\": malformed " + base + ": " + e.getMessage(), e);
      }
    }
    return fromBytes(bytes, text);
  }

  /**
   * Parses the binary form of a CID: a 34-byte sha2-256 multihash (CIDv0) or
   * {@code varint(1) varint(codec) multihash}.
   *
   * @throws CidFormatException when it is malformed, has trailing bytes, or is unsupported
   */
  public static Cid fromBytes(byte[] bytes) {
    return fromBytes(bytes, null);
  }

  private static Cid fromBytes(byte[] bytes, String text) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    Cid cid = readFrom(buf, text);
    if (buf.hasRemaining()) {
      throw new CidFormatException(
          "invalid CID " + label(text, bytes) + ": " + buf.remaining() + " bytes after the multihash");
    }
    return cid;
  }

  /**
   * Reads one binary CID from the front of {@code buf}, leaving the position after it (used for CAR
   * sections, where the block follows the CID).
   *
   * @throws CidFormatException when it is malformed or unsupported
   */
  public static Cid readFrom(ByteBuffer buf) {
    return readFrom(buf, null);
  }

  private static Cid readFrom(ByteBuffer buf, String text) {
    int start = buf.position();
    if (buf.remaining() >= 2 && buf.get(start) == Multicodecs.SHA2_256 && buf.get(start + 1) == 32) {
      if (buf.remaining() < 34) {
        throw new CidFormatException("invalid CID " + label(text, buf, start)
            + ": truncated: a CIDv0 has 34 bytes, only " + buf.remaining() + " present");
      }
      byte[] digest = new byte[32];
      buf.position(start + 2);
      buf.get(digest);
      return v0(Multihash.sha256(digest));
    }
    try {
      long version = Varint.read(buf);
      if (version != 1) {
        throw new CidFormatException("unsupported CID " + label(text, buf, start) + ": version " + version
            + " is not supported; " + SUPPORTED);
      }
      long codec = Varint.read(buf);
      long hash = Varint.read(buf);
      long length = Varint.read(buf);
      if (length > buf.remaining()) {
        throw new CidFormatException("invalid CID " + label(text, buf, start) + ": truncated: the multihash says "
            + length + " digest bytes, only " + buf.remaining() + " present");
      }
      if (codec != Multicodecs.DAG_PB && codec != Multicodecs.RAW) {
        throw new CidFormatException("unsupported CID " + label(text, buf, start) + ": codec "
            + Multicodecs.codecName(codec) + " is not supported; " + SUPPORTED);
      }
      if (hash != Multicodecs.SHA2_256) {
        throw new CidFormatException("unsupported CID " + label(text, buf, start) + ": hash "
            + Multicodecs.hashName(hash) + " is not supported; " + SUPPORTED);
      }
      if (length != Multihash.SHA2_256_LENGTH) {
        throw new CidFormatException("invalid CID " + label(text, buf, start)
            + ": a sha2-256 digest has 32 bytes, the multihash says " + length);
      }
      byte[] digest = new byte[32];
      buf.get(digest);
      return new Cid(1, (int) codec, Multihash.sha256(digest));
    } catch (IllegalArgumentException e) {
      if (e instanceof CidFormatException c) {
        throw c;
      }
      throw new CidFormatException("invalid CID " + label(text, buf, start) + ": " + e.getMessage(), e);
    }
  }

  private static String label(String text, ByteBuffer buf, int start) {
    if (text != null) {
      return "\"" + text + "\"";
    }
    byte[] bytes = new byte[buf.limit() - start];
    buf.duplicate().position(start).get(bytes);
    return label(null, bytes);
  }

  private static String label(String text, byte[] bytes) {
    if (text != null) {
      return "\"" + text + "\"";
    }
    int n = Math.min(bytes.length, 40);
    byte[] head = java.util.Arrays.copyOf(bytes, n);
    return "0x" + Multibase.BASE16.encodeBare(head) + (n < bytes.length ? "…" : "");
  }

  /** 0 or 1. */
  public int version() {
    return version;
  }

  /** {@link Multicodecs#DAG_PB} or {@link Multicodecs#RAW}. */
  public int codec() {
    return codec;
  }

  public Multihash multihash() {
    return multihash;
  }

  /** True for dag-pb (UnixFS nodes), false for raw blocks. */
  public boolean isDagPb() {
    return codec == Multicodecs.DAG_PB;
  }

  /** The binary form: the multihash for CIDv0, {@code 0x01 codec multihash} for CIDv1. */
  public byte[] toBytes() {
    byte[] mh = multihash.toBytes();
    if (version == 0) {
      return mh;
    }
    byte[] out = new byte[1 + Varint.size(codec) + mh.length];
    int pos = Varint.write(1, out, 0);
    pos = Varint.write(codec, out, pos);
    System.arraycopy(mh, 0, out, pos, mh.length);
    return out;
  }

  /** The same block as a CIDv1 (identity for a CIDv1). */
  public Cid toV1() {
    return version == 1 ? this : new Cid(1, codec, multihash);
  }

  /** The text form: base58btc for CIDv0, lowercase base32 ({@code b…}) for CIDv1. */
  @Override
  public String toString() {
    String text = this.text;
    if (text == null) {
      // Base58 is quadratic in the length; blocks are named in every decode, so encode once.
      text = version == 0 ? Multibase.BASE58BTC.encodeBare(multihash.toBytes()) : Multibase.BASE32.encode(toBytes());
      this.text = text;
    }
    return text;
  }

  /**
   * The text form in {@code base}.
   *
   * @throws IllegalStateException for a CIDv0, which is only ever written in bare base58btc
   */
  public String toString(Multibase base) {
    if (version == 0) {
      throw new IllegalStateException("a CIDv0 is only written in bare base58btc; use toV1() first");
    }
    return base.encode(toBytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cid c && version == c.version && codec == c.codec && multihash.equals(c.multihash);
  }

  @Override
  public int hashCode() {
    return (multihash.hashCode() * 31 + codec) * 31 + version;
  }
}
