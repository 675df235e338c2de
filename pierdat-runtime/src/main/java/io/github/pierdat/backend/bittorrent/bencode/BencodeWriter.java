package io.github.pierdat.backend.bittorrent.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes bencode canonically: dictionary keys in raw byte order, shortest integer forms. */
public final class BencodeWriter {

  private BencodeWriter() {}

  /** The canonical encoding of {@code value}. */
  public static byte[] encode(BValue value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(value, out);
    return out.toByteArray();
  }

  private static void write(BValue value, ByteArrayOutputStream out) {
    if (value instanceof BInteger i) {
      ascii(out, "i" + i.value() + "e");
    } else if (value instanceof BBytes b) {
      ascii(out, b.length() + ":");
      out.writeBytes(b.raw());
    } else if (value instanceof BList l) {
      out.write('l');
      l.values().forEach(v -> write(v, out));
      out.write('e');
    } else if (value instanceof BDict d) {
      out.write('d');
      // BDict keeps a sorted map, so iteration order is the canonical order.
      for (Map.Entry<BBytes, BValue> e : d.entries().entrySet()) {
        write(e.getKey(), out);
        write(e.getValue(), out);
      }
      out.write('e');
    }
  }

  private static void ascii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }
}
