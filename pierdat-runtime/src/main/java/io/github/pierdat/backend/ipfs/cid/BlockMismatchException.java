package io.github.pierdat.backend.ipfs.cid;

import java.io.IOException;

/** A block's bytes do not hash to its CID: the source sent corrupt or forged data. */
public class BlockMismatchException extends IOException {

  private static final long serialVersionUID = 1L;
  private final transient Cid cid;

  public BlockMismatchException(Cid cid, String source) {
    super("block " + cid + " from " + source + " does not match its CID: its bytes hash to something else"
        + " (corrupt or forged data; the source is not trusted further)");
    this.cid = cid;
  }

  /** The CID the bytes claimed to be. */
  public Cid cid() {
    return cid;
  }
}
