package io.github.pierdat.backend.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedCommandsTest {

  @Test
  void wordsSplitAtSpacesAndTabsOnly() {
    assertEquals(List.of("aria2c", "--seed-ratio=0.0", "--dir=/data", "/x.torrent"),
        SeedCommands.words("  aria2c \t--seed-ratio=0.0   --dir=/data /x.torrent  "));
  }

  @Test
  void shellMetacharactersStayLiteralWords() {
    assertEquals(List.of("seed", ";", "rm", "-rf", "/tmp/x", "$(touch", "y)", "`id`", "|", "&&", ">", "f", "*", "a\\b"),
        SeedCommands.words("seed ; rm -rf /tmp/x $(touch y) `id` | && > f * a\\b"));
  }

  @Test
  void quotesGroupWordsAndAreRemoved() {
    assertEquals(List.of("seed", "--dir=/my data", "it's", "", "a\"b"),
        SeedCommands.words("seed --dir='/my data' \"it's\" '' 'a\"b'"));
  }

  @Test
  void unclosedQuoteNamesTheLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SeedCommands.parse("ok 1\nseed 'open"));
    assertEquals("line 2 'seed 'open': the quote ' is not closed", e.getMessage());
  }

  @Test
  void eachNonEmptyNonCommentLineIsOneCommand() {
    assertEquals(List.of(List.of("a", "1"), List.of("b", "2")),
        SeedCommands.parse("\n# a comment\na 1\r\n\n   \nb 2\n"));
    assertEquals(List.of(), SeedCommands.parse(""));
  }

  @Test
  void paramsHoldOneJsonArrayPerCommandAndRoundTripInOrder() {
    List<List<String>> commands = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      commands.add(List.of("seed", "n" + i, "$(x) \"q\""));
    }
    Map<String, String> params = SeedCommands.toParams(commands);
    assertEquals("[\"seed\",\"n0\",\"$(x) \\\"q\\\"\"]", params.get("command.0"));
    assertEquals(commands, SeedCommands.fromParams(params));
  }

  @Test
  void malformedParamIsRefusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SeedCommands.fromParams(Map.of("command.0", "aria2c x.torrent")));
    assertTrue(e.getMessage().startsWith("seed parameter command.0 = aria2c x.torrent is not a command"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SeedCommands.fromParams(Map.of("command.1", "[]")));
    assertEquals(List.of(), SeedCommands.fromParams(Map.of("other", "x")));
  }
}
