package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.bittorrent.metainfo.MagnetLink;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo.FileEntry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileChoiceTest {

  private static final String HASH = "0123456789abcdef0123456789abcdef01234567";
  private static final List<FileEntry> FILES = List.of(
      new FileEntry(List.of("a.bin"), 1000),
      new FileEntry(List.of("sub dir", "model.bin"), 2000),
      new FileEntry(List.of("c.bin"), 3000));

  private static FileChoice choice(String source) {
    MagnetLink magnet = source.startsWith("magnet:") ? MagnetLink.parse(source) : null;
    return FileChoice.of(URI.create(source), source, magnet == null ? null : magnet.selectOnly());
  }

  @Test
  void fileFragmentNamesAPercentDecodedSlashSeparatedPath() {
    FileChoice c = choice("magnet:?xt=urn:btih:" + HASH + "#file=sub%20dir/model.bin");
    assertEquals(List.of("sub dir", "model.bin"), c.path());
    assertEquals(1, c.select(FILES, "set", "s", "t"));
  }

  @Test
  void fileFragmentMayStartWithTheTorrentsDirectory() {
    assertEquals(1, choice("torrent+file:/x.torrent#file=set/sub%20dir/model.bin").select(FILES, "set", "s", "t"));
  }

  @Test
  void fragmentIsNotPartOfTheMagnetsLastParameterNorOfTheTorrentUrl() {
    MagnetLink magnet = MagnetLink.parse("magnet:?xt=urn:btih:" + HASH + "&dn=set#file=a.bin");
    assertEquals("set", magnet.displayName());
    assertEquals(URI.create("torrent+https://h/x.torrent?a=1"),
        FileChoice.withoutFragment(URI.create("torrent+https://h/x.torrent?a=1#file=a.bin")));
  }

  @Test
  void selectOnlyTakesOneFileIndex() {
    FileChoice c = choice("magnet:?xt=urn:btih:" + HASH + "&so=2");
    assertEquals(2, c.index());
    assertEquals(2, c.select(FILES, "set", "s", "t"));
    assertEquals("so=2", MagnetLink.parse("magnet:?xt=urn:btih:" + HASH + "&so=2").toString()
        .replaceFirst(".*&", ""));
  }

  @Test
  void selectOnlyListOrRangeIsAnErrorSayingPierdatTakesOneFile() {
    for (String so : List.of("0,2", "1-3")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> choice("magnet:?xt=urn:btih:" + HASH + "&so=" + so));
      assertTrue(e.getMessage().contains("so=" + so + " selects several files; pierdat takes one file"), e.getMessage());
      assertTrue(e.getMessage().contains("magnet:?xt=urn:btih:" + HASH), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> choice("magnet:?xt=urn:btih:" + HASH + "&so=x"));
    assertTrue(e.getMessage().contains("so='x' is not a file index; expected one 0-based index"), e.getMessage());
  }

  @Test
  void selectOnlyBeyondTheFilesListsThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> choice("magnet:?xt=urn:btih:" + HASH + "&so=3").select(FILES, "set", "SRC", "TOR"));
    assertTrue(e.getMessage().contains("source SRC: magnet parameter so=3 is not a file of torrent TOR, which has"
        + " 3 file(s) (so=0..2)"), e.getMessage());
    assertTrue(e.getMessage().contains("[2] c.bin (3000 bytes)"), e.getMessage());
  }

  @Test
  void bothFragmentAndSelectOnlyIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> choice("magnet:?xt=urn:btih:" + HASH + "&so=1#file=a.bin"));
    assertTrue(e.getMessage().contains("names its file twice"), e.getMessage());
  }

  @Test
  void otherFragmentsAndEmptyPathsAreErrorsNamingTheExpectedForm() {
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> choice("torrent+file:/x.torrent#model.bin"));
    assertTrue(other.getMessage().contains("has the fragment '#model.bin'; expected #file=<path"), other.getMessage());
    for (String bad : List.of("", "a//b", "../a.bin", "/a.bin")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> choice("torrent+file:/x.torrent#file=" + bad));
      assertTrue(e.getMessage().contains("#file='" + bad + "' is not a path inside the torrent"), e.getMessage());
    }
  }

  @Test
  void multiFileTorrentWithoutANamedFileListsItsFilesAndSaysHowToNameOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FileChoice.NONE.select(FILES, "set", "torrent+file:/x.torrent", "abc (set)"));
    assertEquals("source torrent+file:/x.torrent: torrent abc (set) has 3 files and the source names none; add"
        + " #file=<path> to the source naming the one the artifact is (e.g. torrent+file:/x.torrent#file=a.bin)."
        + " Its files: [0] a.bin (1000 bytes), [1] sub dir/model.bin (2000 bytes), [2] c.bin (3000 bytes)",
        e.getMessage());
  }

  @Test
  void listingStopsAtTenFiles() {
    List<FileEntry> many = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      many.add(new FileEntry(List.of("f" + i), i));
    }
    String listing = FileChoice.listing(many);
    assertTrue(listing.endsWith("[9] f9 (9 bytes) and 4 more"), listing);
  }

  @Test
  void namedFileThatIsNotInTheTorrentListsItsFiles() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> choice("torrent+file:/x.torrent#file=b.bin").select(FILES, "set", "SRC", "TOR"));
    assertTrue(e.getMessage().startsWith("source SRC: #file=b.bin is not a file of torrent TOR; expected"
        + " #file=<path> with one of its files: [0] a.bin (1000 bytes)"), e.getMessage());
  }

  @Test
  void singleFileTorrentTakesItsOwnNameOrNoName() {
    List<FileEntry> one = List.of(new FileEntry(List.of("model.bin"), 5));
    assertEquals(0, FileChoice.NONE.select(one, "model.bin", "s", "t"));
    assertEquals(0, choice("torrent+file:/x.torrent#file=model.bin").select(one, "model.bin", "s", "t"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> choice("torrent+file:/x.torrent#file=other.bin").select(one, "model.bin", "SRC", "TOR"));
    assertEquals("source SRC: #file=other.bin names a file, but torrent TOR is a single file named 'model.bin';"
        + " use #file=model.bin or leave #file= out", e.getMessage());
  }

  @Test
  void badFragmentFailsTheFetchBeforeTheTorrentFileIsRead() {
    FetchException e = assertThrows(FetchException.class, () -> TorrentSource.resolve(
        URI.create("torrent+file:/does/not/exist.torrent#nofile"), FetchContext.builder().build(),
        new BitTorrentOptions(FetchContext.builder().build())));
    assertTrue(e.getMessage().contains("#nofile"), e.getMessage());
    assertFalse(e.getMessage().contains("no such torrent file"), e.getMessage());
  }
}
