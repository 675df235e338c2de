package io.github.pierdat.backend.ipfs.cid;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A sha2-256 multihash: the identity of a block, whatever CID version or codec names it. Two CIDs with the
 * same multihash address the same bytes, so block stores and indexes key on this.
 */
public final class Multihash {

  /** Bytes of a sha2-256 digest. */
  public static final int SHA2_256_LENGTH = 32;

  private final byte[] digest;
  private final int hash;

  private Multihash(byte[] digest) {
    this.digest = digest;
    this.hash = Arrays.hashCode(digest);
  }

  /** The multihash of a sha2-256 {@code digest} (32 bytes, copied). */
  public static Multihash sha256(byte[] digest) {
    if (digest.length != SHA2_256_LENGTH) {
      throw new IllegalArgumentException("a sha2-256 digest has 32 bytes, not " + digest.length);
    }
    return new Multihash(digest.clone());
  }

  /** The multihash of {@code bytes}. */
  public static Multihash of(byte[] bytes) {
    return new Multihash(newSha256().digest(bytes));
  }

  /** A fresh SHA-256 message digest. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The 32 digest bytes (a copy). */
  public byte[] digest() {
    return digest.clone();
  }

  /** True when {@code bytes} hash to this multihash. */
  public boolean matches(byte[] bytes) {
    return MessageDigest.isEqual(digest, newSha256().digest(bytes));
  }

  /** True when {@code sha256} is this multihash's digest. */
  public boolean matchesDigest(byte[] sha256) {
    return MessageDigest.isEqual(digest, sha256);
  }

  /** The binary multihash: {@code 0x12 0x20} and the digest. */
  public byte[] toBytes() {
    byte[] out = new byte[2 + SHA2_256_LENGTH];
    out[0] = Multicodecs.SHA2_256;
    out[1] = SHA2_256_LENGTH;
    System.arraycopy(digest, 0, out, 2, SHA2_256_LENGTH);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multihash m && Arrays.equals(digest, m.digest);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return Multibase.BASE58BTC.encodeBare(toBytes());
  }
}
