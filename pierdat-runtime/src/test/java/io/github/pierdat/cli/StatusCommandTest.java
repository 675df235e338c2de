package io.github.pierdat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where {@code status} looks for the agent when no {@code --host} is given. */
class StatusCommandTest {

  @ParameterizedTest(name = "bind {0} -> {1}")
  @CsvSource({
      "0.0.0.0, 127.0.0.1",
      "::, 127.0.0.1",
      "[::], 127.0.0.1",
      "0:0:0:0:0:0:0:0, 127.0.0.1",
      "127.0.0.1, 127.0.0.1",
      "127.0.0.2, 127.0.0.2",
      "10.1.2.3, 10.1.2.3",
      "::1, ::1",
      "seeder.local, seeder.local"})
  void asksAWildcardBoundAgentOnLoopbackAndAnyOtherAtItsAddress(String bind, String expected) {
    assertEquals(expected, StatusCommand.reachableAddress(bind));
  }
}
