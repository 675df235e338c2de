package io.github.pierdat.backend.ipfs.unixfs;

/** The {@code Type} of a UnixFS {@code Data} message. */
public enum UnixFsType {
  RAW(0, "raw data"),
  DIRECTORY(1, "directory"),
  FILE(2, "file"),
  METADATA(3, "metadata node"),
  SYMLINK(4, "symlink"),
  HAMT_SHARD(5, "sharded directory (HAMT)");

  private final int code;
  private final String description;

  UnixFsType(int code, String description) {
    this.code = code;
    this.description = description;
  }

  /** The protobuf enum value. */
  public int code() {
    return code;
  }

  /** What it is, for messages ("directory", "symlink", …). */
  public String description() {
    return description;
  }

  /** The type with protobuf value {@code code}, or null if there is none. */
  public static UnixFsType forCode(long code) {
    for (UnixFsType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
