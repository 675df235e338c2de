package io.github.pierdat.backend.ipfs.unixfs;

import io.github.pierdat.backend.ipfs.cid.Block;
import io.github.pierdat.backend.ipfs.cid.Cid;
import java.io.IOException;

/** Where {@link UnixFsFileAssembler} gets blocks from: a CAR stream, a gateway, a local index. */
public interface BlockSource {

  /**
   * The verified block {@code cid}. The assembler asks in depth-first order (a node, then its children left
   * to right).
   *
   * @throws IOException when it cannot be had; a {@link io.github.pierdat.backend.ipfs.cid.BlockMismatchException}
   *     when the bytes received do not match
   */
  Block get(Cid cid) throws IOException;

  /**
   * True when blocks must be asked for in full depth-first order, none skipped (a CAR stream); false when any
   * block can be asked for alone, so subtrees before a resume offset need not be fetched.
   */
  default boolean sequential() {
    return false;
  }

  /**
   * The assembler is done with {@code block} (its bytes are written and nothing refers to it any more); a
   * source may reuse its array for a later block. The default does nothing.
   */
  default void release(Block block) {}
}
