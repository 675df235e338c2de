package io.github.pierdat.backend.ipfs.cid;

import java.security.MessageDigest;
import java.util.Objects;

/**
 * A block whose bytes have been checked against its CID's multihash. The only way to make one is
 * {@link #verify}, so holding a {@code Block} means holding verified bytes.
 */
public final class Block {

  private final Cid cid;
  private final byte[] bytes;

  private Block(Cid cid, byte[] bytes) {
    this.cid = cid;
    this.bytes = bytes;
  }

  /**
   * Checks {@code bytes} against {@code cid} (the array is kept, not copied: do not modify it).
   *
   * @param source where the bytes came from, for the error message
   * @throws BlockMismatchException naming the CID when the bytes do not hash to it
   */
  public static Block verify(Cid cid, byte[] bytes, String source) throws BlockMismatchException {
    return verify(cid, bytes, source, Multihash.newSha256());
  }

  /**
   * Like {@link #verify(Cid, byte[], String)}, hashing with {@code sha256} (a SHA-256 digest the caller
   * reuses from block to block; it is left reset).
   */
  public static Block verify(Cid cid, byte[] bytes, String source, MessageDigest sha256)
      throws BlockMismatchException {
    Objects.requireNonNull(cid, "cid");
    if (!cid.multihash().matchesDigest(sha256.digest(bytes))) {
      throw new BlockMismatchException(cid, source);
    }
    return new Block(cid, bytes);
  }

  public Cid cid() {
    return cid;
  }

  /** The verified bytes (not copied: do not modify). */
  public byte[] bytes() {
    return bytes;
  }
}
