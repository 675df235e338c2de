package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.bittorrent.bencode.BBytes;
import io.github.pierdat.backend.bittorrent.bencode.BDict;
import io.github.pierdat.backend.bittorrent.bencode.BInteger;
import io.github.pierdat.backend.bittorrent.bencode.BList;
import io.github.pierdat.backend.bittorrent.bencode.BValue;
import io.github.pierdat.backend.bittorrent.bencode.BencodeException;
import io.github.pierdat.backend.bittorrent.bencode.BencodeReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BencodeTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void decodesAndReencodesNestedValuesByteForByte() {
    String text = "d3:bar4:spam3:fooi42e4:listli-7e0:ld1:ai0eeeee";
    BValue value = BencodeReader.decode(b(text));
    BDict dict = (BDict) value;
    assertEquals(new BInteger(42), dict.get("foo").orElseThrow());
    assertEquals("spam", ((BBytes) dict.get("bar").orElseThrow()).utf8());
    BList list = (BList) dict.get("list").orElseThrow();
    assertEquals(new BInteger(-7), list.values().get(0));
    assertEquals(0, ((BBytes) list.values().get(1)).length());
    assertArrayEquals(b(text), value.encode());
  }

  @Test
  void writerSortsDictionaryKeysByRawBytes() {
    BDict dict = BDict.builder().put("zeta", 1).put("Alpha", 2).put("alpha", 3).put("piece length", 4).build();
    assertEquals("d5:Alphai2e5:alphai3e12:piece lengthi4e4:zetai1ee",
        new String(dict.encode(), StandardCharsets.ISO_8859_1));
  }

  @Test
  void decodesBinaryStringsWithoutAlteringThem() {
    byte[] raw = {'3', ':', (byte) 0xff, 0, (byte) 0x80};
    BBytes value = (BBytes) BencodeReader.decode(raw);
    assertArrayEquals(new byte[] {(byte) 0xff, 0, (byte) 0x80}, value.bytes());
    assertArrayEquals(raw, value.encode());
  }

  @ParameterizedTest(name = "{0} fails at byte {1}")
  @CsvSource(delimiter = '|', value = {
      "i03e|1|leading zeros",
      "i-0e|1|-0",
      "ie|1|integer",
      "i12|3|input ends",
      "i99999999999999999999e|1|64 bits",
      "5:abc|2|runs past the end",
      "03:abc|0|leading zeros",
      "l4:spam|7|input ends",
      "d3:fooi1e3:bari2ee|9|out of order",
      "d3:fooi1e3:fooi2ee|9|duplicate",
      "di1ei2ee|1|byte-string dictionary key",
      "i1ei2e|3|trailing",
      "x|0|expected 'i', 'l', 'd' or a digit",
      "d3:foo|6|expected its value",
      "3x:abc|1|expected ':'",
  })
  void refusesMalformedInputNamingTheOffset(String input, long offset, String problem) {
    BencodeException e = assertThrows(BencodeException.class, () -> BencodeReader.decode(b(input)));
    assertEquals(offset, e.offset(), e.getMessage());
    assertTrue(e.getMessage().contains("at byte " + offset), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    String deep = "l".repeat(BencodeReader.MAX_DEPTH + 1) + "e".repeat(BencodeReader.MAX_DEPTH + 1);
    BencodeException e = assertThrows(BencodeException.class, () -> BencodeReader.decode(b(deep)));
    assertTrue(e.getMessage().contains("nesting deeper than " + BencodeReader.MAX_DEPTH), e.getMessage());
  }

  @Test
  void refusesAnEmptyInput() {
    BencodeException e = assertThrows(BencodeException.class, () -> BencodeReader.decode(new byte[0]));
    assertEquals(0, e.offset());
  }
}
