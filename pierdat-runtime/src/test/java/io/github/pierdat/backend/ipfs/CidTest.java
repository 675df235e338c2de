package io.github.pierdat.backend.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.CidFormatException;
import io.github.pierdat.backend.ipfs.cid.Multibase;
import io.github.pierdat.backend.ipfs.cid.Multicodecs;
import io.github.pierdat.backend.ipfs.cid.Multihash;
import io.github.pierdat.backend.ipfs.cid.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CidTest {

  private static final String EMPTY_V0 = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";
  // The same DAG node as a CIDv1 (ipfs_cid prints it for the empty file).
  private static final String EMPTY_V1 = "bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb4y";
  private static final String EMPTY_RAW = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

  @Test
  void cidV0ParsesAndFormatsBackUnchanged() {
    Cid cid = Cid.parse(EMPTY_V0);
    assertEquals(0, cid.version());
    assertEquals(Multicodecs.DAG_PB, cid.codec());
    assertEquals(EMPTY_V0, cid.toString());
    assertEquals(34, cid.toBytes().length);
    assertEquals(cid, Cid.fromBytes(cid.toBytes()));
  }

  @Test
  void cidV1OfAV0IsTheKnownBase32FormAndRoundTrips() {
    Cid v1 = Cid.parse(EMPTY_V0).toV1();
    assertEquals(EMPTY_V1, v1.toString());
    Cid parsed = Cid.parse(EMPTY_V1);
    assertEquals(v1, parsed);
    assertEquals(Cid.parse(EMPTY_V0).multihash(), parsed.multihash());
    assertEquals(parsed, Cid.fromBytes(parsed.toBytes()));
  }

  @Test
  void rawCidOfEmptyBytesIsTheKnownOne() {
    Cid raw = Cid.v1(Multicodecs.RAW, Multihash.of(new byte[0]));
    assertEquals(EMPTY_RAW, raw.toString());
    assertEquals(raw, Cid.parse(EMPTY_RAW));
  }

  @Test
  void cidV1RoundTripsThroughBase58Base36AndBase16() {
    Cid cid = Cid.parse(EMPTY_V1);
    for (Multibase base : Multibase.values()) {
      String text = cid.toString(base);
      assertEquals(base.prefix(), text.charAt(0));
      assertEquals(cid, Cid.parse(text), "round trip through " + base + ": " + text);
    }
    assertTrue(cid.toString(Multibase.BASE58BTC).startsWith("zdj7W"));
    assertTrue(cid.toString(Multibase.BASE36).startsWith("k"));
  }

  @Test
  void base58KeepsLeadingZeroBytes() {
    byte[] bytes = {0, 0, 1, 2, (byte) 0xff};
    String text = Multibase.BASE58BTC.encodeBare(bytes);
    assertTrue(text.startsWith("11"));
    assertArrayEquals(bytes, Multibase.BASE58BTC.decodeBare(text));
  }

  @Test
  void malformedBase58IsRefusedNamingTheCharacter() {
    String bad = "Qm" + "0" + EMPTY_V0.substring(3); // '0' is not in the base58 alphabet
    CidFormatException e = assertThrows(CidFormatException.class, () -> Cid.parse(bad));
    assertTrue(e.getMessage().contains(bad), e.getMessage());
    assertTrue(e.getMessage().contains("'0'") && e.getMessage().contains("base58btc"), e.getMessage());
  }

  @Test
  void unknownMultibasePrefixIsRefused() {
    CidFormatException e = assertThrows(CidFormatException.class, () -> Cid.parse("xafybeif7ztnhq65"));
    assertTrue(e.getMessage().contains("unknown multibase prefix 'x'"), e.getMessage());
    assertTrue(e.getMessage().contains("'b' (base32)"), e.getMessage());
  }

  @Test
  void dagCborCodecIsRefusedNamingTheCodec() {
    String text = Multibase.BASE32.encode(v1Bytes(0x71, 0x12, new byte[32]));
    CidFormatException e = assertThrows(CidFormatException.class, () -> Cid.parse(text));
    assertTrue(e.getMessage().contains(text), e.getMessage());
    assertTrue(e.getMessage().contains("codec dag-cbor (0x71) is not supported"), e.getMessage());
  }

  @Test
  void sha2512HashIsRefusedNamingTheHash() {
    String text = Multibase.BASE32.encode(v1Bytes(0x70, 0x13, new byte[64]));
    CidFormatException e = assertThrows(CidFormatException.class, () -> Cid.parse(text));
    assertTrue(e.getMessage().contains(text), e.getMessage());
    assertTrue(e.getMessage().contains("hash sha2-512 (0x13) is not supported"), e.getMessage());
  }

  @Test
  void truncatedCidIsRefused() {
    byte[] full = Cid.parse(EMPTY_V1).toBytes();
    String text = Multibase.BASE32.encode(Arrays.copyOf(full, full.length - 5));
    CidFormatException e = assertThrows(CidFormatException.class, () -> Cid.parse(text));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());

    String truncatedV0 = EMPTY_V0.substring(0, 40);
    CidFormatException e0 = assertThrows(CidFormatException.class, () -> Cid.parse(truncatedV0));
    assertTrue(e0.getMessage().contains(truncatedV0) && e0.getMessage().contains("has 46 characters, this has 40"),
        e0.getMessage());
  }

  @Test
  void trailingBytesAfterTheMultihashAreRefused() {
    byte[] full = Cid.parse(EMPTY_V1).toBytes();
    String text = Multibase.BASE32.encode(Arrays.copyOf(full, full.length + 1));
    CidFormatException e = assertThrows(CidFormatException.class, () -> Cid.parse(text));
    assertTrue(e.getMessage().contains("1 bytes after the multihash"), e.getMessage());
  }

  @Test
  void emptyTextAndUnsupportedVersionAreRefused() {
    assertTrue(assertThrows(CidFormatException.class, () -> Cid.parse("")).getMessage().contains("empty"));
    String v2 = Multibase.BASE32.encode(new byte[] {2, 0x70, 0x12, 0x20});
    assertTrue(assertThrows(CidFormatException.class, () -> Cid.parse(v2)).getMessage().contains("version 2"));
  }

  @Test
  void cidIsReadFromTheFrontOfABufferLeavingTheRest() {
    Cid cid = Cid.parse(EMPTY_V1);
    byte[] cidBytes = cid.toBytes();
    ByteBuffer buf = ByteBuffer.allocate(cidBytes.length + 3).put(cidBytes).put(new byte[] {7, 8, 9}).flip();
    assertEquals(cid, Cid.readFrom(buf));
    assertEquals(3, buf.remaining());
  }

  @Test
  void varintsRoundTripAndRejectNonMinimalEncodings() {
    for (long v : new long[] {0, 1, 127, 128, 300, 262144, Long.MAX_VALUE >>> 1}) {
      assertEquals(v, Varint.read(ByteBuffer.wrap(Varint.encode(v))));
    }
    assertThrows(IllegalArgumentException.class, () -> Varint.read(ByteBuffer.wrap(new byte[] {(byte) 0x81, 0})));
    assertThrows(IllegalArgumentException.class, () -> Varint.read(ByteBuffer.wrap(new byte[] {(byte) 0x81})));
  }

  private static byte[] v1Bytes(int codec, int hash, byte[] digest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Varint.encode(1));
    out.writeBytes(Varint.encode(codec));
    out.writeBytes(Varint.encode(hash));
    out.writeBytes(Varint.encode(digest.length));
    out.writeBytes(digest);
    return out.toByteArray();
  }
}
