package io.github.pierdat.it.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.Fixtures;
import io.github.pierdat.it.fixture.FreePort;
import io.github.pierdat.it.fixture.ItEnvironment;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A build downloads a BitTorrent source from two real aria2c peers, one of which serves a copy with a byte
 * flipped in every piece (aria2c told to seed it unverified): the downloader bans that peer, takes every piece
 * from the honest one, and caches the declared bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class HostilePeerIT {

  private static final int PIECE = 1 << 15;
  private static final int BLOCK = 1 << 14;
  private static final byte[] DATA = TestData.random(3 * 1024 * 1024 + 321, 4242);
  private static final String SHA = Sha256.hex(DATA);

  private Path work;
  private String infohash;
  private int honestPort;
  private int hostilePort;
  private Daemon honest;
  private Daemon hostile;

  @BeforeAll
  void seed() throws Exception {
    work = Files.createTempDirectory(ItEnvironment.work(), "bt-hostile-");
    Path goodDir = Files.createDirectories(work.resolve("honest"));
    Path good = Files.write(goodDir.resolve("model.bin"), DATA);
    Path torrent = work.resolve("model.torrent");
    TorrentTools.run("mktorrent", "-l", Integer.toString(Integer.numberOfTrailingZeros(PIECE)), "-o", torrent.toString(),
        good.toString());
    infohash = TorrentTools.infohash(torrent);

    // A byte flipped in every 16 KiB block (the unit peers request), so no block of the hostile peer is sound.
    byte[] corrupt = DATA.clone();
    for (int at = 0; at < corrupt.length; at += BLOCK) {
      corrupt[at + Math.min(BLOCK, corrupt.length - at) / 2] ^= (byte) 0x5a;
    }
    Path badDir = Files.createDirectories(work.resolve("hostile"));
    Files.write(badDir.resolve("model.bin"), corrupt);

    honestPort = FreePort.find();
    hostilePort = FreePort.find();
    // The honest peer is slowed down so that the hostile one is asked for pieces while the download runs.
    List<String> slow = new ArrayList<>(Aria2.VERIFIED);
    slow.add("--max-overall-upload-limit=512K");
    honest = Aria2.seeder(torrent, goodDir, work.resolve("aria2-honest.log"), honestPort, slow);
    List<String> logged = new ArrayList<>(Aria2.UNVERIFIED);
    logged.addAll(List.of("--log=" + work.resolve("aria2-hostile-messages.log"), "--log-level=info"));
    hostile = Aria2.seeder(torrent, badDir, work.resolve("aria2-hostile.log"), hostilePort, logged);
  }

  @AfterAll
  void stop() {
    Fixtures.closeAll(hostile, honest);
  }

  @Test
  void peerServingCorruptPiecesIsBannedAndTheDownloadCompletesFromTheHonestPeer() throws Exception {
    ArtifactCache cache = ArtifactCache.fresh("bt-hostile");
    String magnet = "magnet:?xt=urn:btih:" + infohash + "&dn=model.bin"
        + "&x.pe=127.0.0.1:" + hostilePort + "&x.pe=127.0.0.1:" + honestPort;
    BuildResult result = SampleProject.copy("bittorrent").build("pierdat:fetch")
        .property("source", magnet)
        .property("sha", SHA)
        .property("pierdat.cacheDirectory", cache.toString())
        .timeout(Duration.ofMinutes(4))
        .run()
        .assertSucceeded();

    List<Path> cached = cache.filesUnder("sha256");
    assertEquals(1, cached.size(), cached.toString());
    assertEquals(SHA, Sha256.hex(cached.get(0)));

    String hostilePeer = "127.0.0.1:" + hostilePort;
    String honestPeer = "127.0.0.1:" + honestPort;
    List<String> bans = result.linesContaining("banned peer ");
    assertEquals(1, bans.size(), result.tail(60));
    assertTrue(bans.get(0).startsWith("[WARNING]"), bans.get(0));
    assertTrue(bans.get(0).contains("banned peer " + hostilePeer + " for the rest of the download"), bans.get(0));

    // The summary names the bytes from each peer and the corrupt pieces, and only the hostile peer is banned.
    Matcher summary = result.find("bittorrent " + infohash + " \\(model\\.bin\\): " + DATA.length + " bytes in \\d+ ms"
        + " from (.*); corrupt pieces from " + Pattern.quote(hostilePeer) + " \\((\\d+), banned\\)$");
    int corruptPieces = Integer.parseInt(summary.group(2));
    long fromHonest = bytesFrom(summary.group(1), honestPeer);
    long fromHostile = bytesFrom(summary.group(1), hostilePeer);
    assertTrue(corruptPieces >= 1, summary.group());
    // Every block the hostile peer has is corrupt, so each byte kept came from the honest peer.
    assertTrue(fromHonest >= DATA.length, summary.group());
    // Cut off after its first corrupt piece: it delivered at most what was already asked of it, not the file.
    assertTrue(fromHostile > 0 && fromHostile < DATA.length / 4, summary.group());

    // The hostile aria2c's own log: the downloader came once, asked for little, and after the ban never
    // connected again, though its peer discovery offered the hostile peer every 500 ms until the end.
    String messages = Files.readString(work.resolve("aria2-hostile-messages.log"), StandardCharsets.UTF_8);
    assertEquals(1, count(messages, "From: 127\\.0\\.0\\.1:\\d+ handshake "), messages);
    Matcher requests = Pattern.compile("(CUID#\\d+) - From: \\S+ request index=\\d+, begin=\\d+, length=(\\d+)")
        .matcher(messages);
    long requested = 0;
    Set<String> connections = new TreeSet<>();
    while (requests.find()) {
      connections.add(requests.group(1));
      requested += Long.parseLong(requests.group(2));
    }
    assertEquals(1, connections.size(), messages);
    assertTrue(requested >= fromHostile && requested < DATA.length / 4,
        "requested " + requested + " bytes of the hostile peer, received " + fromHostile);
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static long bytesFrom(String peers, String peer) {
    Matcher m = Pattern.compile(Pattern.quote(peer) + " \\((\\d+) bytes\\)").matcher(peers);
    assertTrue(m.find(), "no bytes from " + peer + " in: " + peers);
    return Long.parseLong(m.group(1));
  }
}
