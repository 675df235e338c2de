package io.github.pierdat.backend.ipfs.unixfs;

import io.github.pierdat.backend.ipfs.cid.Multihash;

/**
 * Leaf digests an import may take instead of hashing the bytes again: for a file being fetched by CID, the
 * leaves of its DAG were already verified against their CIDs, and when such a leaf is exactly the block the
 * importer would make for the same bytes, its multihash is the importer's too.
 */
@FunctionalInterface
public interface KnownLeaves {

  /**
   * The sha2-256 multihash of the {@code kind} leaf the importer makes for the {@code length} file bytes at
   * {@code offset}, if it is known from verified bytes; null to let the importer hash them. Offsets are
   * asked in increasing order.
   */
  Multihash leaf(long offset, int length, ImportedBlock.Kind kind);
}
