package io.github.pierdat.backend.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RequestTargetTest {

  @Test
  void decodesHarmlessEscapesAndDropsTheQuery() {
    assertEquals("/data/my file.bin", RequestTarget.path("/data/my%20file.bin?x=1"));
    assertEquals("/caf\u00e9", RequestTarget.path("/caf%C3%A9"));
    assertEquals("/data/m.bin", RequestTarget.path("http://host:1/data/m.bin"));
    assertEquals("/", RequestTarget.path("http://host"));
  }

  @Test
  void encodedSeparatorsDotsAndDotSegmentsNeverNameAPath() {
    for (String t : new String[] {"/a%2fb", "/a%2Fb", "/%2e%2e/x", "/a/%2E", "/a%5cb", "/a%00", "/a/../b", "/a/./b",
        "//a", "/a/", "/a\\b", "/%25", "/%c0%ae"}) {
      assertEquals(RequestTarget.NONE, RequestTarget.path(t), t);
    }
  }

  @Test
  void malformedTargetsAreBad() {
    for (String t : new String[] {"a/b", "*", "/%", "/%4", "/%zz", "/a b", "/\u00e9", "/a#b", "ftp://x/a"}) {
      assertEquals(RequestTarget.BAD, RequestTarget.path(t), t);
    }
  }

  @Test
  void byteRangesResolveAgainstTheSize() {
    assertEquals(new ByteRange(ByteRange.Kind.PARTIAL, 0, 9), ByteRange.of("bytes=0-9", 100));
    assertEquals(new ByteRange(ByteRange.Kind.PARTIAL, 90, 99), ByteRange.of("bytes=-10", 100));
    assertEquals(new ByteRange(ByteRange.Kind.PARTIAL, 0, 99), ByteRange.of("bytes=-1000", 100));
    assertEquals(new ByteRange(ByteRange.Kind.PARTIAL, 50, 99), ByteRange.of("bytes=50-", 100));
    assertEquals(new ByteRange(ByteRange.Kind.PARTIAL, 50, 99), ByteRange.of("bytes=50-5000", 100));
    assertEquals(ByteRange.Kind.UNSATISFIABLE, ByteRange.of("bytes=100-", 100).kind());
    assertEquals(ByteRange.Kind.UNSATISFIABLE, ByteRange.of("bytes=-0", 100).kind());
    assertEquals(ByteRange.Kind.UNSATISFIABLE, ByteRange.of("bytes=99999999999999999999-", 100).kind());
    assertEquals(ByteRange.Kind.FULL, ByteRange.of("bytes=5-1", 100).kind());
    assertEquals(ByteRange.Kind.FULL, ByteRange.of("bytes=1-2,4-5", 100).kind());
    assertEquals(ByteRange.Kind.FULL, ByteRange.of(null, 100).kind());
  }
}
