package io.github.pierdat.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parsesEveryKindOfValueIntoPlainJava() {
    Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null, \"\\u0041\\n\"], \"b\": {}, \"c\": []}\r\n\t");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("a", Arrays.asList(1L, new BigDecimal("-2.5e3"), true, false, null, "A\n"));
    expected.put("b", Map.of());
    expected.put("c", List.of());
    assertEquals(expected, v);
    assertEquals(List.of("a", "b", "c"), List.copyOf(((Map<?, ?>) v).keySet()), "document order");
  }

  @Test
  void integersThatFitALongAreLongsAndEverythingElseIsAnExactBigDecimal() {
    assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
    assertEquals(new BigDecimal("9223372036854775808"), Json.parse("9223372036854775808"));
    assertEquals(new BigDecimal("123456789012345678901234567890"), Json.parse("123456789012345678901234567890"));
    assertEquals(new BigDecimal("1.50"), Json.parse("1.50"), "scale kept");
    assertEquals(new BigDecimal("1E+2"), Json.parse("1E+2"));
    assertEquals(0L, Json.parse("-0"));
  }

  @Test
  void decodesEveryEscapeAndSurrogatePairs() {
    assertEquals("\" \\ / \b \f \n \r \t é \u2603 \ud83d\ude00",
        Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u2603 \\uD83D\\uDE00\""));
    assertEquals("é☃😀", Json.parse("\"é☃😀\""), "raw non-ASCII");
  }

  @Test
  void refusesWhatRfc8259DoesNotAllowSayingWhere() {
    List<String> bad = List.of("", " ", "{", "}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "[1 2]", "{a:1}", "{'a':1}",
        "{\"a\":01}", "+1", ".5", "1.", "1e", "-", "NaN", "Infinity", "nul", "True", "\"tab\there\"",
        "\"line\nbreak\"", "\"open", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "{} x", "[] []", "1 // c",
        "/* c */ 1", "\ufeff{}", "\u000b1", "\"\\uD800\"", "\"\\uDC00\"", "\"\\uD800\\u0041\"", "\"\ud800\"",
        "1e99999999999");
    for (String json : bad) {
      JsonException e = assertThrows(JsonException.class, () -> Json.parse(json), json);
      assertTrue(e.getMessage().matches("line \\d+, column \\d+: expected .+ but found .+"), e.getMessage());
    }
  }

  @Test
  void errorsGiveTheLineAndColumnOfTheProblem() {
    JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\n  \"a\": [1,\n    2,]\n}"));
    assertEquals("line 3, column 7: expected a value but found ']'", e.getMessage());
    e = assertThrows(JsonException.class, () -> Json.parse("{\"a\": 1} {"));
    assertEquals("line 1, column 10: expected the end of the document but found '{'", e.getMessage());
  }

  @Test
  void refusesDuplicateMemberNames() {
    JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\"a\": 1, \"b\": {\"a\": 2, \"a\": 3}}"));
    assertEquals("line 1, column 24: duplicate member name \"a\"; expected every name of an object once",
        e.getMessage());
  }

  @Test
  void limitsNestingTo64Levels() {
    String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertEquals(List.of(), unwrap(Json.parse(deepest), Json.MAX_DEPTH - 1));
    String tooDeep = "{\"a\":".repeat(Json.MAX_DEPTH) + "[]" + "}".repeat(Json.MAX_DEPTH);
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(tooDeep));
    assertTrue(e.getMessage().contains("expected at most 64 levels of nested objects and arrays"), e.getMessage());
    assertThrows(JsonException.class, () -> Json.parse("[".repeat(100_000)), "no stack overflow");
  }

  private static Object unwrap(Object value, int levels) {
    for (int i = 0; i < levels; i++) {
      value = ((List<?>) value).get(0);
    }
    return value;
  }

  @Test
  void refusesBytesThatAreNotUtf8() {
    byte[] latin1 = "{\"a\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(latin1));
    assertTrue(e.getMessage().startsWith("the document is not valid UTF-8"), e.getMessage());
    assertEquals(Map.of("a", "café"), Json.parse("{\"a\": \"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void writesCompactJsonInMapOrder() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("z", List.of(1, 2L, BigInteger.TEN, new BigDecimal("1.50")));
    doc.put("a", Arrays.asList(true, null, "x"));
    doc.put("m", new TreeMap<>(Map.of("b", 2, "a", 1)));
    doc.put("e", Map.of());
    doc.put("l", List.of());
    assertEquals("{\"z\":[1,2,10,1.50],\"a\":[true,null,\"x\"],\"m\":{\"a\":1,\"b\":2},\"e\":{},\"l\":[]}",
        Json.write(doc));
  }

  @Test
  void prettyPrintsWithTwoSpacesPerObjectAndArraysInline() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("n", 1);
    doc.put("list", List.of("a", "b"));
    doc.put("objects", List.of(Map.of("k", List.of()), Map.of("k", Map.of())));
    doc.put("empty", List.of());
    assertEquals("""
        {
          "n" : 1,
          "list" : [ "a", "b" ],
          "objects" : [ {
            "k" : [ ]
          }, {
            "k" : { }
          } ],
          "empty" : [ ]
        }""", Json.writePretty(doc));
  }

  @Test
  void escapesQuotesBackslashesAndControlCharactersOnly() {
    assertEquals("\"q\\\"b\\\\s/ \\b\\f\\n\\r\\t \\u0000\\u001F \u007f é \u2028 \ud83d\ude00\"",
        Json.quote("q\"b\\s/ \b\f\n\r\t \u0000\u001f \u007f é \u2028 \ud83d\ude00"));
  }

  @Test
  void escapesUnpairedSurrogatesSoTheTextStaysUtf8() {
    assertEquals("\"a\\uD800b\\uDC00\"", Json.quote("a\ud800b\udc00"));
    assertEquals("\"\ud83d\ude00\"", Json.quote("\ud83d\ude00"), "a pair is one character, written as it is");
  }

  @Test
  void readsBackWhatItWrites() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("s", "\"\\/\n\u0001é☃😀");
    doc.put("n", Arrays.asList(0L, -1L, Long.MAX_VALUE, new BigDecimal("-1.25E-7"), null, false));
    doc.put("o", Map.of("nested", List.of(Map.of("deeper", List.of(List.of())))));
    assertEquals(doc, Json.parse(Json.write(doc)));
    assertEquals(doc, Json.parse(Json.writePretty(doc)));
  }

  @Test
  void refusesToWriteValuesWithoutOneExactJsonForm() {
    for (Object value : List.of(1.5d, 2.5f, new Object(), Map.of(1, "non-string key"))) {
      assertThrows(JsonException.class, () -> Json.write(value), String.valueOf(value));
    }
    List<Object> cycle = new java.util.ArrayList<>();
    cycle.add(cycle);
    assertTrue(assertThrows(JsonException.class, () -> Json.write(cycle)).getMessage().contains("a cycle?"));
  }

  @Test
  void describesValuesForErrorMessages() {
    assertEquals("\"x\"", Json.describe("x"));
    assertEquals("12", Json.describe(12L));
    assertEquals("null", Json.describe(null));
    assertEquals("an object", Json.describe(Map.of()));
    assertEquals("an array", Json.describe(List.of()));
    assertEquals(Json.quote("a".repeat(77)) + "...", Json.describe("a".repeat(200)));
  }

  @Test
  void fieldsNameTheirPathTheValueAndWhatWasExpected() {
    JsonFields root = JsonFields.root(Json.parse(
        "{\"s\": 1, \"list\": [{\"x\": \"1\"}, {\"x\": 2, \"tags\": [\"a\", 3]}], \"map\": {\"k\": true}}"));
    assertEquals("s is 1; expected a string", assertThrows(JsonException.class, () -> root.string("s")).getMessage());
    assertEquals("missing is missing; expected a string",
        assertThrows(JsonException.class, () -> root.string("missing")).getMessage());
    List<JsonFields> list = root.objects("list");
    assertEquals("list[0]", list.get(0).path());
    assertEquals("list[0].x is \"1\"; expected an integer from 0 to 10",
        assertThrows(JsonException.class, () -> list.get(0).integer("x", 0, 10)).getMessage());
    assertEquals(2, list.get(1).integer("x", 0, 10));
    assertEquals("list[1].x is 2; expected an integer from 5 to 10",
        assertThrows(JsonException.class, () -> list.get(1).integer("x", 5, 10)).getMessage());
    assertEquals("list[1].tags[1] is 3; expected a string",
        assertThrows(JsonException.class, () -> list.get(1).strings("tags")).getMessage());
    assertEquals("map.k is true; expected a string",
        assertThrows(JsonException.class, () -> root.stringMap("map")).getMessage());
    assertEquals("the document is an array; expected an object",
        assertThrows(JsonException.class, () -> JsonFields.root(List.of())).getMessage());
    assertEquals(List.of(), root.strings("absent"));
    assertNull(root.optionalObject("absent"));
    assertEquals(7, root.optionalInteger("absent", 0, 10, 7));
  }
}
