package io.github.pierdat.backend.ipfs.cid;

import java.util.Map;

/** Names of multicodec codes, so errors can say "dag-cbor (0x71)" rather than a bare number. */
public final class Multicodecs {

  /** dag-pb: the protobuf node format UnixFS files and directories are made of. */
  public static final int DAG_PB = 0x70;
  /** raw: a block that is just bytes (raw leaves of a UnixFS file). */
  public static final int RAW = 0x55;
  /** The sha2-256 multihash. */
  public static final int SHA2_256 = 0x12;

  private static final Map<Long, String> CODECS = Map.ofEntries(
      Map.entry(0x55L, "raw"),
      Map.entry(0x70L, "dag-pb"),
      Map.entry(0x71L, "dag-cbor"),
      Map.entry(0x0129L, "dag-json"),
      Map.entry(0x0200L, "json"),
      Map.entry(0x51L, "cbor"),
      Map.entry(0x72L, "libp2p-key"),
      Map.entry(0x78L, "git-raw"),
      Map.entry(0x0202L, "car"));

  private static final Map<Long, String> HASHES = Map.ofEntries(
      Map.entry(0x00L, "identity"),
      Map.entry(0x11L, "sha1"),
      Map.entry(0x12L, "sha2-256"),
      Map.entry(0x13L, "sha2-512"),
      Map.entry(0x14L, "sha3-512"),
      Map.entry(0x15L, "sha3-384"),
      Map.entry(0x16L, "sha3-256"),
      Map.entry(0x1bL, "keccak-256"),
      Map.entry(0x1eL, "blake3"),
      Map.entry(0xb220L, "blake2b-256"),
      Map.entry(0xb240L, "blake2b-512"));

  private Multicodecs() {}

  /** E.g. {@code dag-cbor (0x71)}, or {@code unknown codec (0x1234)}. */
  public static String codecName(long code) {
    return CODECS.getOrDefault(code, "unknown codec") + " (0x" + Long.toHexString(code) + ")";
  }

  /** E.g. {@code sha2-512 (0x13)}, or {@code unknown hash (0x1234)}. */
  public static String hashName(long code) {
    return HASHES.getOrDefault(code, "unknown hash") + " (0x" + Long.toHexString(code) + ")";
  }
}
