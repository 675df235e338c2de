package io.github.pierdat.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrackerUrlsTest {

  @Test
  void configuredTrackersComeFirstThenThePropertysWithoutDuplicates() throws Exception {
    assertEquals(List.of("http://a.example:6969/announce", "udp://b.example:6969"),
        TrackerUrls.of(List.of("http://a.example:6969/announce"), " udp://b.example:6969 , http://a.example:6969/announce,"));
  }

  @Test
  void everyBadTrackerIsNamedWithWhatWasExpected() {
    InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
        () -> TrackerUrls.of(List.of("ftp://x.example/announce", "http://user:secret@t.example/announce"), "nope"));
    assertEquals(3, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).contains("'ftp://x.example/announce' has scheme 'ftp'"), e.getMessage());
    assertTrue(e.problems().get(1).contains("carries credentials"), e.getMessage());
    assertTrue(e.problems().get(2).contains("'nope' has scheme ''; expected an announce URL"), e.getMessage());
  }
}
