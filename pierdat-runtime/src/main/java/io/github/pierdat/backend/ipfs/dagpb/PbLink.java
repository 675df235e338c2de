package io.github.pierdat.backend.ipfs.dagpb;

import io.github.pierdat.backend.ipfs.cid.Cid;
import java.util.Objects;

/**
 * A dag-pb link.
 *
 * @param cid the linked block ({@code Hash})
 * @param name the link name ({@code Name}); kubo writes {@code ""} for file chunks; null when absent
 * @param tsize the cumulative size of the linked DAG ({@code Tsize}); -1 when absent
 */
public record PbLink(Cid cid, String name, long tsize) {

  public PbLink {
    Objects.requireNonNull(cid, "cid");
  }
}
