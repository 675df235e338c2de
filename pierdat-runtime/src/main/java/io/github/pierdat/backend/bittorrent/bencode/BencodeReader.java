package io.github.pierdat.backend.bittorrent.bencode;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A strict bencode (BEP 3) reader. It refuses anything a canonical encoder would not write: leading zeros,
 * {@code -0}, unsorted or duplicate dictionary keys, integers beyond 64 bits, truncated input, trailing
 * bytes and nesting deeper than {@value #MAX_DEPTH}. Every error names the byte offset.
 *
 * <p>Besides {@link #decode(byte[])} it offers a cursor over a dictionary, so a caller can note where a value
 * starts and ends (the infohash is the sha1 of the exact bytes of the {@code info} value).
 */
public final class BencodeReader {

  /** Deeper nesting is refused rather than risking a stack overflow on hostile input. */
  public static final int MAX_DEPTH = 64;

  private final byte[] data;
  private int pos;
  private int depth;

  public BencodeReader(byte[] data) {
    this.data = data;
  }

  /** Decodes exactly one value that spans all of {@code data}. */
  public static BValue decode(byte[] data) {
    BencodeReader reader = new BencodeReader(data);
    BValue value = reader.readValue();
    reader.expectEnd();
    return value;
  }

  /** The offset of the next byte to read. */
  public int position() {
    return pos;
  }

  /** Fails unless all input has been read. */
  public void expectEnd() {
    if (pos != data.length) {
      throw new BencodeException(pos, "unexpected " + (data.length - pos) + " trailing byte(s) after the value");
    }
  }

  /** Reads the value at the current position. */
  public BValue readValue() {
    int c = peek("a value");
    if (c == 'i') {
      return readInteger();
    }
    if (c >= '0' && c <= '9') {
      return BBytes.wrap(readByteString());
    }
    if (c == 'l') {
      enter();
      pos++;
      List<BValue> values = new ArrayList<>();
      while (peek("a list element or 'e'") != 'e') {
        values.add(readValue());
      }
      pos++;
      depth--;
      return new BList(values);
    }
    if (c == 'd') {
      DictCursor cursor = beginDictionary();
      TreeMap<BBytes, BValue> entries = new TreeMap<>();
      BBytes key;
      while ((key = cursor.nextKey()) != null) {
        entries.put(key, readValue());
      }
      return new BDict(entries);
    }
    throw new BencodeException(pos, "expected 'i', 'l', 'd' or a digit, found " + describe(c));
  }

  /** Starts reading a dictionary at the current position; read each value after {@link DictCursor#nextKey()}. */
  public DictCursor beginDictionary() {
    int c = peek("a dictionary");
    if (c != 'd') {
      throw new BencodeException(pos, "expected a dictionary ('d'), found " + describe(c));
    }
    enter();
    pos++;
    return new DictCursor();
  }

  /** Walks the keys of one dictionary, checking that they are byte strings in strictly ascending order. */
  public final class DictCursor {
    private BBytes previous;
    private boolean done;

    private DictCursor() {}

    /** The next key (the reader is then at its value), or null after the dictionary's closing 'e'. */
    public BBytes nextKey() {
      if (done) {
        return null;
      }
      int c = peek("a dictionary key or 'e'");
      if (c == 'e') {
        pos++;
        depth--;
        done = true;
        return null;
      }
      if (c < '0' || c > '9') {
        throw new BencodeException(pos, "expected a byte-string dictionary key or 'e', found " + describe(c));
      }
      int keyAt = pos;
      BBytes key = BBytes.wrap(readByteString());
      if (previous != null && previous.compareTo(key) >= 0) {
        throw new BencodeException(keyAt, "dictionary key '" + key + "' "
            + (previous.equals(key) ? "is a duplicate" : "is out of order (after '" + previous + "')")
            + "; keys must be unique and sorted by raw bytes");
      }
      previous = key;
      if (pos >= data.length) {
        throw new BencodeException(pos, "input ends after dictionary key '" + key + "'; expected its value");
      }
      return key;
    }
  }

  private BInteger readInteger() {
    int start = pos;
    pos++; // 'i'
    int end = indexOf('e', "'e' closing the integer that starts at byte " + start);
    String digits = new String(data, pos, end - pos, java.nio.charset.StandardCharsets.US_ASCII);
    if (!digits.matches("-?(0|[1-9][0-9]*)") || digits.equals("-0")) {
      throw new BencodeException(pos, "expected an integer without leading zeros or '-0', found '" + digits + "'");
    }
    try {
      long value = Long.parseLong(digits);
      pos = end + 1;
      return new BInteger(value);
    } catch (NumberFormatException e) {
      throw new BencodeException(pos, "integer " + digits + " does not fit in 64 bits");
    }
  }

  private byte[] readByteString() {
    int start = pos;
    int colon = indexOf(':', "':' after the length of the byte string that starts at byte " + start);
    String digits = new String(data, pos, colon - pos, java.nio.charset.StandardCharsets.US_ASCII);
    if (!digits.matches("0|[1-9][0-9]*")) {
      throw new BencodeException(pos, "expected a byte-string length without sign or leading zeros, found '"
          + digits + "'");
    }
    long length;
    try {
      length = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      length = Long.MAX_VALUE;
    }
    int bodyAt = colon + 1;
    if (length > data.length - bodyAt) {
      throw new BencodeException(bodyAt, "byte string of length " + digits + " runs past the end of the input ("
          + (data.length - bodyAt) + " byte(s) left)");
    }
    pos = bodyAt + (int) length;
    return java.util.Arrays.copyOfRange(data, bodyAt, pos);
  }

  private int indexOf(char wanted, String what) {
    for (int i = pos; i < data.length; i++) {
      int b = data[i] & 0xff;
      if (b == wanted) {
        return i;
      }
      if (!(b >= '0' && b <= '9') && !(b == '-' && wanted == 'e')) {
        throw new BencodeException(i, "expected " + what + ", found " + describe(b));
      }
    }
    throw new BencodeException(data.length, "input ends; expected " + what);
  }

  private int peek(String what) {
    if (pos >= data.length) {
      throw new BencodeException(pos, "input ends; expected " + what);
    }
    return data[pos] & 0xff;
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw new BencodeException(pos, "nesting deeper than " + MAX_DEPTH + " levels");
    }
  }

  private static String describe(int b) {
    return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b);
  }
}
