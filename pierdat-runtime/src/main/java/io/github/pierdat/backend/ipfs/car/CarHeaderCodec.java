package io.github.pierdat.backend.ipfs.car;

import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.CidFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The CARv1 header, {@code {"roots": [CID…], "version": 1}} in dag-cbor: just enough CBOR to write it and to
 * read it back (roots and version), skipping any other keys.
 */
final class CarHeaderCodec {

  private static final int MAX_NESTING = 16;

  private CarHeaderCodec() {}

  /** The dag-cbor header (keys in dag-cbor order: "roots" before "version"). */
  static byte[] encode(List<Cid> roots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    head(out, 5, 2);
    text(out, "roots");
    head(out, 4, roots.size());
    for (Cid root : roots) {
      head(out, 6, 42);
      byte[] cid = root.toBytes();
      head(out, 2, cid.length + 1);
      out.write(0); // the multibase identity prefix dag-cbor puts before binary CIDs
      out.write(cid, 0, cid.length);
    }
    text(out, "version");
    head(out, 0, 1);
    return out.toByteArray();
  }

  private static void text(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    head(out, 3, b.length);
    out.write(b, 0, b.length);
  }

  private static void head(ByteArrayOutputStream out, int major, long value) {
    int m = major << 5;
    if (value < 24) {
      out.write(m | (int) value);
    } else if (value < 0x100) {
      out.write(m | 24);
      out.write((int) value);
    } else if (value < 0x10000) {
      out.write(m | 25);
      out.write((int) (value >> 8));
      out.write((int) value);
    } else {
      out.write(m | 26);
      for (int shift = 24; shift >= 0; shift -= 8) {
        out.write((int) (value >> shift));
      }
    }
  }

  /** The roots of a CARv1 header; refuses other versions. */
  static List<Cid> decodeRoots(byte[] header) throws CarFormatException {
    try {
      ByteBuffer buf = ByteBuffer.wrap(header);
      Object value = item(buf, 0);
      if (!(value instanceof java.util.Map<?, ?> map)) {
        throw new CarFormatException("CAR header is not a map");
      }
      Object version = map.get("version");
      if (!(version instanceof Long v) || v != 1) {
        throw new CarFormatException("CAR header has version " + version + "; only CARv1 is supported");
      }
      Object roots = map.get("roots");
      if (!(roots instanceof List<?> list)) {
        throw new CarFormatException("CAR header has no roots list");
      }
      List<Cid> cids = new ArrayList<>();
      for (Object r : list) {
        if (!(r instanceof Cid cid)) {
          throw new CarFormatException("CAR header root " + r + " is not a CID");
        }
        cids.add(cid);
      }
      return cids;
    } catch (BufferUnderflowException e) {
      throw new CarFormatException("CAR header is truncated", e);
    } catch (CidFormatException e) {
      throw new CarFormatException("CAR header root: " + e.getMessage(), e);
    }
  }

  private static Object item(ByteBuffer buf, int depth) throws CarFormatException {
    if (depth > MAX_NESTING) {
      throw new CarFormatException("CAR header nests deeper than " + MAX_NESTING + " levels");
    }
    int initial = buf.get() & 0xFF;
    int major = initial >>> 5;
    long arg = argument(buf, initial & 31);
    switch (major) {
      case 0:
        return arg;
      case 1:
        return -1 - arg;
      case 2:
      case 3: {
        if (arg > buf.remaining()) {
          throw new CarFormatException("CAR header string claims " + arg + " bytes, only " + buf.remaining() + " remain");
        }
        byte[] b = new byte[(int) arg];
        buf.get(b);
        return major == 2 ? b : new String(b, StandardCharsets.UTF_8);
      }
      case 4: {
        checkCount(arg, buf);
        List<Object> list = new ArrayList<>();
        for (long i = 0; i < arg; i++) {
          list.add(item(buf, depth + 1));
        }
        return list;
      }
      case 5: {
        checkCount(arg, buf);
        java.util.Map<Object, Object> map = new java.util.HashMap<>();
        for (long i = 0; i < arg; i++) {
          Object key = item(buf, depth + 1);
          map.put(key, item(buf, depth + 1));
        }
        return map;
      }
      case 6: {
        Object tagged = item(buf, depth + 1);
        if (arg == 42) {
          if (!(tagged instanceof byte[] b) || b.length < 1 || b[0] != 0) {
            throw new CarFormatException("CAR header has a malformed CID (tag 42)");
          }
          return Cid.fromBytes(java.util.Arrays.copyOfRange(b, 1, b.length));
        }
        return tagged;
      }
      default:
        return arg; // simple values (false, true, null) and floats are not needed
    }
  }

  private static void checkCount(long count, ByteBuffer buf) throws CarFormatException {
    if (count > buf.remaining()) {
      throw new CarFormatException("CAR header claims " + count + " items in " + buf.remaining() + " bytes");
    }
  }

  private static long argument(ByteBuffer buf, int info) throws CarFormatException {
    if (info < 24) {
      return info;
    }
    return switch (info) {
      case 24 -> buf.get() & 0xFFL;
      case 25 -> buf.getShort() & 0xFFFFL;
      case 26 -> buf.getInt() & 0xFFFFFFFFL;
      case 27 -> {
        long v = buf.getLong();
        if (v < 0) {
          throw new CarFormatException("CAR header has a number too large");
        }
        yield v;
      }
      default -> throw new CarFormatException("CAR header uses indefinite-length CBOR, which dag-cbor forbids");
    };
  }
}
