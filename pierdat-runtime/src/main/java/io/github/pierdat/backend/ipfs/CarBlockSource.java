package io.github.pierdat.backend.ipfs;

import io.github.pierdat.backend.ipfs.car.CarReader;
import io.github.pierdat.backend.ipfs.cid.Block;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.Multihash;
import io.github.pierdat.backend.ipfs.unixfs.BlockSource;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Blocks from a CAR stream, handed out in the depth-first order the assembler asks for them. Gateways send
 * that order, so normally each block is passed straight through. Blocks that arrive early are held (up to
 * {@link #MAX_PENDING} bytes); recently used blocks are kept (up to {@link #MAX_RECENT} bytes) because a
 * gateway may send a repeated block (e.g. a zero-filled chunk) only once. A block the stream lacks is asked
 * from {@code fallback} (per-block {@code ?format=raw}), or fails naming it. With a fallback, early blocks
 * beyond the bound are dropped rather than failing the fetch (they are asked for one by one if needed).
 *
 * <p>When the CAR was asked for a byte range ({@code entity-bytes}), {@code ranged} is true: the assembler
 * then skips subtrees before the range, which the gateway did not send. When the gateway declares that it
 * sends every occurrence of a block ({@code dups=y} in the Content-Type, IPIP-412), {@code duplicatesSent}
 * is true and no used block is kept: each is garbage as soon as its bytes are written.
 */
final class CarBlockSource implements BlockSource {

  static final long MAX_PENDING = 64L << 20;
  static final long MAX_RECENT = 16L << 20;

  private final CarReader car;
  private final BlockSource fallback;
  private final String source;
  private final boolean ranged;
  private final boolean duplicatesSent;
  private final Map<Multihash, Block> pending = new LinkedHashMap<>();
  private final Recent recent = new Recent();
  private long pendingBytes;
  private boolean ended;
  private int fetchedSeparately;

  CarBlockSource(CarReader car, BlockSource fallback, String source, boolean ranged, boolean duplicatesSent) {
    this.car = car;
    this.fallback = fallback;
    this.source = source;
    this.ranged = ranged;
    this.duplicatesSent = duplicatesSent;
  }

  @Override
  public boolean sequential() {
    return !ranged;
  }

  /** Blocks the CAR lacked that came from the fallback. */
  int fetchedSeparately() {
    return fetchedSeparately;
  }

  @Override
  public Block get(Cid cid) throws IOException {
    Multihash wanted = cid.multihash();
    Block block = recent.get(wanted);
    if (block == null) {
      block = pending.remove(wanted);
      if (block != null) {
        pendingBytes -= block.bytes().length;
      }
    }
    while (block == null && !ended) {
      Block next = car.next();
      if (next == null) {
        ended = true;
      } else if (next.cid().multihash().equals(wanted)) {
        block = next;
      } else {
        if (pending.putIfAbsent(next.cid().multihash(), next) == null) {
          pendingBytes += next.bytes().length;
        }
        while (pendingBytes > MAX_PENDING && fallback != null) {
          Block dropped = pending.remove(pending.keySet().iterator().next());
          pendingBytes -= dropped.bytes().length;
        }
        if (pendingBytes > MAX_PENDING) {
          throw new IOException("the CAR from " + source + " sent over " + (MAX_PENDING >> 20)
              + " MiB of blocks before block " + cid + ", which depth-first order needs now; ask block by block ("
              + IpfsOptions.GATEWAY_MODE + "=raw)");
        }
      }
    }
    if (block == null) {
      if (fallback == null) {
        throw new IOException("the CAR from " + source + " ended without block " + cid);
      }
      block = fallback.get(cid);
      fetchedSeparately++;
    }
    if (!duplicatesSent) {
      recent.put(wanted, block);
    }
    return block;
  }

  /**
   * Hands the block's array back to the CAR reader when nothing else holds it: with {@code dups=y} no used
   * block is kept, and the assembler is done with it.
   */
  @Override
  public void release(Block block) {
    if (duplicatesSent) {
      car.recycle(block);
    }
  }

  /** Recently used blocks, least recently used evicted first, bounded in bytes. */
  private static final class Recent extends LinkedHashMap<Multihash, Block> {
    private static final long serialVersionUID = 1L;
    private long bytes;

    Recent() {
      super(16, 0.75f, true);
    }

    @Override
    public Block put(Multihash key, Block value) {
      Block old = super.put(key, value);
      bytes += value.bytes().length - (old == null ? 0 : old.bytes().length);
      return old;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<Multihash, Block> eldest) {
      if (bytes > MAX_RECENT) {
        bytes -= eldest.getValue().bytes().length;
        return true;
      }
      return false;
    }
  }
}
