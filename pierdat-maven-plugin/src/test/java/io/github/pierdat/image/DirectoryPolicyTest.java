package io.github.pierdat.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DirectoryPolicyTest {

  @Test
  void topLevelDirectoriesKeep0755AndDeeperOnesAre0555() {
    assertEquals(List.of("/data 755", "/data/models 555", "/data/models/v1 555"),
        describe(DirectoryPolicy.ancestors("/data/models/v1/model.bin")));
  }

  @Test
  void conventionalSystemDirectoriesKeep0755() {
    assertEquals(List.of("/usr 755", "/usr/local 755", "/usr/local/share 755", "/usr/local/share/geoip 555"),
        describe(DirectoryPolicy.ancestors("/usr/local/share/geoip/city.mmdb")));
    assertEquals(List.of("/var 755", "/var/lib 755", "/var/lib/app 555"),
        describe(DirectoryPolicy.ancestors("/var/lib/app/index.bin")));
  }

  @Test
  void rootsHomeKeeps0700() {
    assertEquals(List.of("/root 700", "/root/data 555"), describe(DirectoryPolicy.ancestors("/root/data/x.bin")));
  }

  @Test
  void fileAtTopLevelHasNoDirectoryEntries() {
    assertEquals(List.of(), DirectoryPolicy.ancestors("/model.bin"));
  }

  @Test
  void pathsBelowTmpAndRuntimeMountsAreRefused() {
    assertTrue(DirectoryPolicy.problem("/tmp/x.bin").orElseThrow().contains("sticky bit"));
    assertTrue(DirectoryPolicy.problem("/var/tmp/x.bin").orElseThrow().contains("sticky bit"));
    assertTrue(DirectoryPolicy.problem("/proc/x.bin").orElseThrow().contains("mounts over"));
    assertTrue(DirectoryPolicy.problem("/dev/x.bin").orElseThrow().contains("mounts over"));
    assertTrue(DirectoryPolicy.problem("/data/x.bin").isEmpty());
    assertTrue(DirectoryPolicy.problem("/tmpdata/x.bin").isEmpty());
  }

  private static List<String> describe(List<DirectoryPolicy.Directory> directories) {
    return directories.stream().map(d -> d.path() + " " + d.permissions().toOctalString()).toList();
  }
}
