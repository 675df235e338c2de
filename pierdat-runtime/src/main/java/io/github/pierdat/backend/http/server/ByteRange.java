package io.github.pierdat.backend.http.server;

/**
 * A single byte range of a {@code Range: bytes=...} header resolved against a file size (RFC 9110 14).
 * Multiple ranges and syntactically invalid headers are ignored (the whole file is sent), as RFC 9110
 * allows; a valid range that starts beyond the end is unsatisfiable (416).
 *
 * @param kind whether to send the whole file, a part of it, or 416
 * @param first the first byte to send (inclusive)
 * @param last the last byte to send (inclusive)
 */
record ByteRange(Kind kind, long first, long last) {

  enum Kind {
    FULL,
    PARTIAL,
    UNSATISFIABLE
  }

  /** The number of bytes to send. */
  long length() {
    return kind == Kind.UNSATISFIABLE ? 0 : last - first + 1;
  }

  static ByteRange full(long size) {
    return new ByteRange(Kind.FULL, 0, size - 1);
  }

  /** Resolves {@code header} (may be null) against {@code size}. */
  static ByteRange of(String header, long size) {
    if (header == null) {
      return full(size);
    }
    String h = header.trim();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
      return full(size);
    }
    String spec = h.substring(6).trim();
    if (spec.indexOf(',') >= 0) {
      return full(size);
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return full(size);
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    if (!digits(a) || !digits(b) || (a.isEmpty() && b.isEmpty())) {
      return full(size);
    }
    if (a.length() > 18 || b.length() > 18) {
      return a.isEmpty() ? full(size) : new ByteRange(Kind.UNSATISFIABLE, 0, -1);
    }
    if (a.isEmpty()) {
      long suffix = Long.parseLong(b);
      if (suffix == 0 || size == 0) {
        return new ByteRange(Kind.UNSATISFIABLE, 0, -1);
      }
      return new ByteRange(Kind.PARTIAL, Math.max(0, size - suffix), size - 1);
    }
    long first = Long.parseLong(a);
    if (!b.isEmpty() && Long.parseLong(b) < first) {
      return full(size);
    }
    if (first >= size) {
      return new ByteRange(Kind.UNSATISFIABLE, 0, -1);
    }
    long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
    return new ByteRange(Kind.PARTIAL, first, last);
  }

  private static boolean digits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
