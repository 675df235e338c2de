package io.github.pierdat.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.hash.Hashing;
import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import io.github.pierdat.manifest.SeedEntry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ImageAssemblerTest {

  @RegisterExtension
  static final RegistryServer REGISTRY = new RegistryServer();

  @TempDir
  static Path work;

  @TempDir
  Path dir;

  static String baseWithEntrypoint;
  static String baseCmdOnly;
  static Path baseTar;
  static Path agentJar;
  static BakedArtifact model;
  static BakedArtifact index;

  @BeforeAll
  static void buildBasesAndArtifacts() throws Exception {
    TestBases bases = new TestBases(work);
    baseWithEntrypoint = REGISTRY.address() + "/base/app:1";
    baseCmdOnly = REGISTRY.address() + "/base/cmd-only:1";
    bases.push(baseWithEntrypoint, TestBases.WITH_ENTRYPOINT);
    bases.push(baseCmdOnly, TestBases.CMD_ONLY);
    baseTar = work.resolve("base-app.tar");
    bases.saveTar(baseTar, "base/app:1", TestBases.WITH_ENTRYPOINT);

    agentJar = work.resolve("agent.jar");
    Files.write(agentJar, randomBytes(200 * 1024, 1));
    model = artifact(work.resolve("cache"), "model.bin", "/data/models/model.bin", randomBytes(1024 * 1024, 2),
        List.of(new SeedEntry("http", Map.of("path", "/artifacts/model"))));
    index = artifact(work.resolve("cache"), "words.idx", "/data/index/words.idx", randomBytes(300 * 1024, 3),
        List.of());
  }

  @Test
  void tarTargetHasOneReadOnlyRootOwnedLayerPerArtifactAndTheAgentLayers() throws Exception {
    List<String> progress = Collections.synchronizedList(new ArrayList<>());
    Path tar = dir.resolve("out/image.tar");
    ImageResult result = assembler(baseWithEntrypoint)
        .addArtifact(model).addArtifact(index)
        .log(recording(progress))
        .build()
        .containerize(ImageTarget.tar(tar, "pierdat/test:1"));

    ImageView image = ImageView.fromDockerTar(tar);
    assertEquals(5, image.layers().size(), "base layer, two artifact layers, agent, pier.dat");
    assertArtifactLayer(image.layers().get(1), model, List.of("data", "data/models"));
    assertArtifactLayer(image.layers().get(2), index, List.of("data", "data/index"));

    List<ImageView.Entry> agentLayer = image.layers().get(3);
    assertEquals(List.of("opt", "opt/pierdat", "opt/pierdat/pierdat-agent.jar"), ImageView.names(agentLayer));
    assertDirectory(ImageView.find(agentLayer, "opt"), 0755);
    assertDirectory(ImageView.find(agentLayer, "opt/pierdat"), 0555);
    assertReadOnlyFile(ImageView.find(agentLayer, "opt/pierdat/pierdat-agent.jar"), sha256(agentJar));

    List<ImageView.Entry> pierDatLayer = image.layers().get(4);
    assertEquals(List.of("etc", "etc/pier.dat"), ImageView.names(pierDatLayer));
    assertDirectory(ImageView.find(pierDatLayer, "etc"), 0755);
    ImageView.Entry pierDatEntry = ImageView.find(pierDatLayer, "etc/pier.dat");
    assertReadOnlyFile(pierDatEntry, Hashing.sha256().hashBytes(pierDatEntry.content()).toString());
    PierDat pierDat = PierDatCodec.fromBytes(pierDatEntry.content(), "pier.dat in the image");
    TestBases.Base base = TestBases.WITH_ENTRYPOINT;
    assertEquals(new AppCommand(base.entrypoint(), base.cmd(), base.workingDir()), pierDat.app());
    assertEquals(List.of(model.entry(), index.entry()), pierDat.artifacts());
    assertEquals(pierDat, result.pierDat());

    JsonNode config = image.containerConfig();
    assertEquals(AgentCommand.entrypoint(AgentCommand.DEFAULT_JVM_FLAGS), strings(config.get("Entrypoint")));
    assertEquals(List.of("java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
        "-Xms8m", "-XX:MaxRAMPercentage=25", "-jar", "/opt/pierdat/pierdat-agent.jar", "run", "--"),
        strings(config.get("Entrypoint")));
    assertEquals(base.cmd(), strings(config.get("Cmd")));
    assertEquals("1000:1000", config.get("User").asText());
    assertEquals("/srv/app", config.get("WorkingDir").asText());
    assertTrue(strings(config.get("Env")).contains("APP_MODE=test"), "base env kept: " + config.get("Env"));
    JsonNode labels = config.get("Labels");
    assertEquals("2", labels.get("io.github.pierdat.artifacts").asText());
    assertEquals("/data/models/model.bin", labels.get("io.github.pierdat.artifact.0.path").asText());
    assertEquals(model.entry().sha256(), labels.get("io.github.pierdat.artifact.0.sha256").asText());
    assertEquals(Long.toString(model.entry().size()), labels.get("io.github.pierdat.artifact.0.size").asText());
    assertEquals("model.bin", labels.get("io.github.pierdat.artifact.0.name").asText());
    assertEquals("/artifacts/model", labels.get("io.github.pierdat.artifact.0.seed.http.path").asText());
    assertEquals("/data/index/words.idx", labels.get("io.github.pierdat.artifact.1.path").asText());
    assertTrue(labels.has("io.github.pierdat.version"));

    JsonNode diffIds = image.config().get("rootfs").get("diff_ids");
    assertEquals(List.of(diffIds.get(1).asText(), diffIds.get(2).asText()),
        result.artifactLayers().stream().map(LayerInfo::diffId).toList());
    assertEquals(List.of("/data/models/model.bin", "/data/index/words.idx"),
        result.artifactLayers().stream().map(LayerInfo::path).toList());
    assertEquals(image.configDigest(), result.imageId());
    assertTrue(progress.stream().anyMatch(line -> line.matches("Building pierdat/test:1: 100%")),
        "progress lines: " + progress);
  }

  @Test
  void registryTargetReadsBackWithSameLayersConfigAndExtraTag() throws Exception {
    String target = REGISTRY.address() + "/out/app:1";
    ImageResult result = assembler(baseWithEntrypoint)
        .addArtifact(model).addArtifact(index)
        .build()
        .containerize(ImageTarget.registry(target, null, Set.of("latest")));

    ImageView image = ImageView.fromRegistry(REGISTRY.address(), "out/app", "1");
    assertEquals(result.digest(), image.manifestDigest());
    assertEquals(result.imageId(), image.configDigest());
    assertEquals(Set.of("1", "latest"), result.tags());
    assertEquals(result.digest(), ImageView.fromRegistry(REGISTRY.address(), "out/app", "latest").manifestDigest());
    assertEquals(5, image.layers().size());
    assertEquals(List.of(image.layerDigests().get(1), image.layerDigests().get(2)),
        result.artifactLayers().stream().map(LayerInfo::digest).toList());
    assertArtifactLayer(image.layers().get(1), model, List.of("data", "data/models"));
    assertArtifactLayer(image.layers().get(2), index, List.of("data", "data/index"));
    PierDat pierDat = PierDatCodec.fromBytes(
        ImageView.find(image.layers().get(4), "etc/pier.dat").content(), "pier.dat in the image");
    assertEquals(TestBases.WITH_ENTRYPOINT.entrypoint(), pierDat.app().entrypoint());
    assertEquals(AgentCommand.entrypoint(AgentCommand.DEFAULT_JVM_FLAGS),
        strings(image.containerConfig().get("Entrypoint")));
    assertEquals(TestBases.WITH_ENTRYPOINT.cmd(), strings(image.containerConfig().get("Cmd")));
    assertEquals(model.entry().sha256(),
        image.containerConfig().get("Labels").get("io.github.pierdat.artifact.0.sha256").asText());
  }

  @Test
  void baseWithoutEntrypointRecordsItsCmdAsTheApp() throws Exception {
    Path tar = dir.resolve("image.tar");
    ImageResult result = assembler(baseCmdOnly).addArtifact(model).build()
        .containerize(ImageTarget.tar(tar, "pierdat/cmd-only:1"));

    TestBases.Base base = TestBases.CMD_ONLY;
    assertEquals(new AppCommand(List.of(), base.cmd(), base.workingDir()), result.pierDat().app());
    ImageView image = ImageView.fromDockerTar(tar);
    PierDat pierDat = PierDatCodec.fromBytes(
        ImageView.find(image.layerWith("etc/pier.dat"), "etc/pier.dat").content(), "pier.dat");
    assertEquals(result.pierDat(), pierDat);
    assertEquals(base.cmd(), strings(image.containerConfig().get("Cmd")));
    assertEquals(AgentCommand.entrypoint(AgentCommand.DEFAULT_JVM_FLAGS),
        strings(image.containerConfig().get("Entrypoint")));
    assertTrue(strings(image.containerConfig().get("Env")).contains("APP_MODE=cmd"));
  }

  @Test
  void tarBaseKeepsItsLayersUserEnvAndCommand() throws Exception {
    Path tar = dir.resolve("image.tar");
    ImageResult result = assembler("tar://" + baseTar).addArtifact(index).build()
        .containerize(ImageTarget.tar(tar, "pierdat/from-tar:1"));

    TestBases.Base base = TestBases.WITH_ENTRYPOINT;
    assertEquals(new AppCommand(base.entrypoint(), base.cmd(), base.workingDir()), result.pierDat().app());
    ImageView image = ImageView.fromDockerTar(tar);
    assertEquals(4, image.layers().size());
    assertEquals("hello from the base image\n",
        new String(ImageView.find(image.layers().get(0), TestBases.HELLO).content(), "UTF-8"));
    assertArtifactLayer(image.layers().get(1), index, List.of("data", "data/index"));
    assertEquals("1000:1000", image.containerConfig().get("User").asText());
    assertTrue(strings(image.containerConfig().get("Env")).contains("APP_MODE=test"));
    assertEquals(base.cmd(), strings(image.containerConfig().get("Cmd")));
  }

  @Test
  void scratchBaseHasNoAppAndNoCmd() throws Exception {
    Path tar = dir.resolve("image.tar");
    ImageResult result = assembler("scratch").addArtifact(model).build()
        .containerize(ImageTarget.tar(tar, "pierdat/scratch:1"));

    assertEquals(AppCommand.none(), result.pierDat().app());
    ImageView image = ImageView.fromDockerTar(tar);
    assertEquals(3, image.layers().size(), "artifact, agent, pier.dat");
    assertArtifactLayer(image.layers().get(0), model, List.of("data", "data/models"));
    JsonNode cmd = image.containerConfig().get("Cmd");
    assertTrue(cmd == null || cmd.isNull() || cmd.isEmpty(), "no CMD: " + cmd);
    assertEquals(AgentCommand.entrypoint(AgentCommand.DEFAULT_JVM_FLAGS),
        strings(image.containerConfig().get("Entrypoint")));
  }

  @Test
  void offlineBuildReadsTheRegistryBaseFromTheBaseImageCache() throws Exception {
    Path baseCache = dir.resolve("base-cache");
    ImageResult online = assembler(baseWithEntrypoint).addArtifact(model).baseImageLayersCache(baseCache).build()
        .containerize(ImageTarget.tar(dir.resolve("online.tar"), "pierdat/offline:1"));
    ImageResult offline = assembler(baseWithEntrypoint).addArtifact(model).baseImageLayersCache(baseCache)
        .offline(true).build()
        .containerize(ImageTarget.tar(dir.resolve("offline.tar"), "pierdat/offline:1"));

    assertEquals(online.pierDat(), offline.pierDat());
    assertEquals(online.digest(), offline.digest());
    ImageException e = assertThrows(ImageException.class, () -> assembler(baseCmdOnly).addArtifact(model)
        .baseImageLayersCache(baseCache).offline(true).build()
        .containerize(ImageTarget.tar(dir.resolve("x.tar"), "pierdat/x:1")));
    assertTrue(e.getMessage().contains(baseCmdOnly) && e.getMessage().contains("not in the base image cache"),
        e.getMessage());
  }

  @Test
  void sameInputsGiveTheSameDigestWithOtherCachesAndFileTimes() throws Exception {
    byte[] bytes = randomBytes(512 * 1024, 7);
    BakedArtifact first = artifact(dir.resolve("cache-a"), "same.bin", "/data/same/same.bin", bytes, List.of());
    BakedArtifact second = artifact(dir.resolve("cache-b"), "same.bin", "/data/same/same.bin", bytes, List.of());
    Files.setLastModifiedTime(first.file(), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    Files.setLastModifiedTime(second.file(), FileTime.from(Instant.parse("2024-06-01T12:34:56Z")));
    Path agentCopy = dir.resolve("other/agent.jar");
    Files.createDirectories(agentCopy.getParent());
    Files.copy(agentJar, agentCopy);
    Files.setLastModifiedTime(agentCopy, FileTime.from(Instant.parse("2023-03-03T03:03:03Z")));

    Path tarA = dir.resolve("a.tar");
    Path tarB = dir.resolve("b.tar");
    ImageResult a = assembler(baseWithEntrypoint).addArtifact(first)
        .applicationLayersCache(dir.resolve("jib-cache-a")).build()
        .containerize(ImageTarget.tar(tarA, "pierdat/same:1"));
    ImageResult b = assembler(baseWithEntrypoint).addArtifact(second).agentJar(agentCopy)
        .applicationLayersCache(dir.resolve("jib-cache-b")).build()
        .containerize(ImageTarget.tar(tarB, "pierdat/same:1"));

    assertEquals(a.digest(), b.digest());
    assertEquals(a.imageId(), b.imageId());
    assertEquals(a.artifactLayers(), b.artifactLayers());
    assertEquals(sha256(tarA), sha256(tarB), "byte-identical tars");
  }

  @Test
  void seedFilesGoReadOnlyIntoOneLayerBeforeTheAgentWhateverOrderTheyAreAddedIn() throws Exception {
    byte[] torrentA = "d4:infod6:lengthi1e4:name1:aee".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] torrentB = "d4:infod6:lengthi2e4:name1:bee".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Path tarA = dir.resolve("seed-a.tar");
    Path tarB = dir.resolve("seed-b.tar");
    ImageResult a = assembler(baseWithEntrypoint).addArtifact(model)
        .addSeedFile("/opt/pierdat/torrents/aa.torrent", torrentA)
        .addSeedFile("/opt/pierdat/torrents/bb.torrent", torrentB)
        .applicationLayersCache(dir.resolve("jib-seed-a")).build()
        .containerize(ImageTarget.tar(tarA, "pierdat/seed:1"));
    ImageResult b = assembler(baseWithEntrypoint).addArtifact(model)
        .addSeedFile("/opt/pierdat/torrents/bb.torrent", torrentB)
        .addSeedFile("/opt/pierdat/torrents/aa.torrent", torrentA)
        .applicationLayersCache(dir.resolve("jib-seed-b")).build()
        .containerize(ImageTarget.tar(tarB, "pierdat/seed:1"));

    assertEquals(a.digest(), b.digest());
    ImageView image = ImageView.fromDockerTar(tarA);
    assertEquals(5, image.layers().size(), "base layer, artifact, seed files, agent, pier.dat");
    List<ImageView.Entry> seedLayer = image.layers().get(2);
    assertEquals(List.of("opt", "opt/pierdat", "opt/pierdat/torrents", "opt/pierdat/torrents/aa.torrent",
        "opt/pierdat/torrents/bb.torrent"), ImageView.names(seedLayer));
    assertDirectory(ImageView.find(seedLayer, "opt/pierdat/torrents"), 0555);
    assertReadOnlyFile(ImageView.find(seedLayer, "opt/pierdat/torrents/aa.torrent"),
        Hashing.sha256().hashBytes(torrentA).toString());
    assertEquals(List.of("opt", "opt/pierdat", "opt/pierdat/pierdat-agent.jar"),
        ImageView.names(image.layers().get(3)));
  }

  @Test
  void seedFileOutsideThePierdatDirectoryIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageContents.builder().addSeedFile("/etc/passwd", new byte[1]));
    assertTrue(e.getMessage().contains("/etc/passwd is not a file below /opt/pierdat/"), e.getMessage());
  }

  @Test
  void changedPierDatInTheSameCacheIsNotServedFromAStaleLayer() throws Exception {
    Path cache = dir.resolve("jib-cache");
    PierDat quiet = PierDat.of(null, List.of(model.entry()));
    AgentSettings loud = new AgentSettings(9999, 6881, null, null, 0, null, null, null, "debug");
    PierDat changed = new PierDat(PierDat.CURRENT_VERSION, loud, null, List.of(model.entry()));

    ImageResult first = assembler("scratch").addArtifact(model).pierDat(quiet).applicationLayersCache(cache).build()
        .containerize(ImageTarget.tar(dir.resolve("1.tar"), "pierdat/p:1"));
    ImageResult second = assembler("scratch").addArtifact(model).pierDat(changed).applicationLayersCache(cache).build()
        .containerize(ImageTarget.tar(dir.resolve("2.tar"), "pierdat/p:2"));

    assertNotEquals(first.digest(), second.digest());
    assertEquals(first.artifactLayers(), second.artifactLayers(), "the artifact layer is reused");
    ImageView image = ImageView.fromDockerTar(dir.resolve("2.tar"));
    PierDat inImage = PierDatCodec.fromBytes(
        ImageView.find(image.layerWith("etc/pier.dat"), "etc/pier.dat").content(), "pier.dat");
    assertEquals(9999, inImage.settings().httpPort());
    assertEquals("debug", inImage.settings().log());
  }

  @Test
  void secondPushUploadsOnlyTheNewArtifactLayer() throws Exception {
    String repository = REGISTRY.address() + "/out/reuse";
    ImageResult first = assembler(baseWithEntrypoint).addArtifact(model).build()
        .containerize(ImageTarget.registry(repository + ":1", null, Set.of()));
    String modelLayer = first.artifactLayers().get(0).digest();
    assertEquals(1, uploads(REGISTRY.log(), "out/reuse", modelLayer), "the first push uploads the model layer");

    ImageResult second = assembler(baseWithEntrypoint).addArtifact(model).addArtifact(index)
        .applicationLayersCache(dir.resolve("fresh-jib-cache")).build()
        .containerize(ImageTarget.registry(repository + ":2", null, Set.of()));

    assertEquals(modelLayer, second.artifactLayers().get(0).digest());
    String log = REGISTRY.log();
    assertEquals(1, uploads(log, "out/reuse", modelLayer), "the second push does not upload the model layer again");
    assertEquals(1, uploads(log, "out/reuse", second.artifactLayers().get(1).digest()), "the new layer is uploaded");
  }

  @Test
  void unknownBaseImageIsNamedWithTheRegistrysAnswer() throws Exception {
    String missing = REGISTRY.address() + "/no/such-image:7";
    ImageException e = assertThrows(ImageException.class, () -> assembler(missing).addArtifact(model).build()
        .containerize(ImageTarget.tar(dir.resolve("x.tar"), "pierdat/x:1")));
    assertTrue(e.getMessage().contains(missing), e.getMessage());
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
    assertTrue(e.getMessage().contains("404") && e.getMessage().contains("manifest unknown"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("x.tar")), "no tar is left behind");
  }

  @Test
  void unreachableBaseRegistryNamesHostPortAndTheInsecureSetting() throws Exception {
    int closed = closedPort();
    String base = "127.0.0.1:" + closed + "/base/app:1";
    ImageException e = assertThrows(ImageException.class, () -> assembler(base).allowInsecureRegistries(false)
        .addArtifact(model).build().containerize(ImageTarget.tar(dir.resolve("x.tar"), "pierdat/x:1")));
    assertTrue(e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
    assertTrue(e.getMessage().contains("not reachable"), e.getMessage());
    assertTrue(e.getMessage().contains("is it running"), e.getMessage());
    assertTrue(e.getMessage().contains("allowInsecureRegistries"), e.getMessage());
  }

  @Test
  void unreachableTargetRegistryNamesHostPort() throws Exception {
    int closed = closedPort();
    String target = "127.0.0.1:" + closed + "/out/app:1";
    ImageException e = assertThrows(ImageException.class, () -> assembler("scratch").addArtifact(model).build()
        .containerize(ImageTarget.registry(target, new RegistryCredentials("user", "s3cret-pass"), Set.of())));
    assertTrue(e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
    assertTrue(e.getMessage().contains("target image"), e.getMessage());
    assertTrue(e.getMessage().contains("not reachable"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret-pass"), e.getMessage());
  }

  @Test
  void dockerDaemonBaseWithoutADaemonNamesTheImageAndTheDockerError() throws Exception {
    Path noDaemon = dir.resolve("no-daemon.sock");
    ImageException e = assertThrows(ImageException.class, () -> assembler("docker://pierdat/none:1")
        .baseDockerClient(null, Map.of("DOCKER_HOST", "unix://" + noDaemon)).addArtifact(model).build()
        .containerize(ImageTarget.tar(dir.resolve("x.tar"), "pierdat/x:1")));
    assertTrue(e.getMessage().contains("baseImage docker://pierdat/none:1"), e.getMessage());
    assertTrue(e.getMessage().contains("could not be inspected") || e.getMessage().contains("cannot run docker"),
        e.getMessage());
  }

  @Test
  void artifactBelowTmpIsRefusedWithAPathToUseInstead() throws Exception {
    BakedArtifact inTmp = artifact(dir.resolve("cache"), "t.bin", "/tmp/t.bin", new byte[] {1, 2, 3}, List.of());
    ImageException e = assertThrows(ImageException.class, () -> assembler("scratch").addArtifact(inTmp).build()
        .containerize(ImageTarget.tar(dir.resolve("x.tar"), "pierdat/x:1")));
    assertTrue(e.getMessage().contains("/tmp/t.bin") && e.getMessage().contains("sticky bit")
        && e.getMessage().contains("/data/t.bin"), e.getMessage());
  }

  @Test
  void artifactWhoseBytesDoNotMatchItsSha256IsRefused() throws Exception {
    BakedArtifact good = artifact(dir.resolve("cache"), "g.bin", "/data/g.bin", new byte[] {1, 2, 3}, List.of());
    Files.write(good.file(), new byte[] {9, 9, 9});
    ImageException e = assertThrows(ImageException.class, () -> assembler("scratch").addArtifact(good).build()
        .containerize(ImageTarget.tar(dir.resolve("x.tar"), "pierdat/x:1")));
    assertTrue(e.getMessage().contains(good.file().toString()) && e.getMessage().contains("declared sha256 is "
        + good.entry().sha256()) && e.getMessage().contains("fetch again"), e.getMessage());
  }

  @Test
  void pierDatThatListsOtherArtifactsIsRefused() throws Exception {
    PierDat other = PierDat.of(null, List.of(model.entry(), index.entry()));
    ImageException e = assertThrows(ImageException.class, () -> assembler("scratch").addArtifact(model)
        .pierDat(other).build().containerize(ImageTarget.tar(dir.resolve("x.tar"), "pierdat/x:1")));
    assertTrue(e.getMessage().contains("/data/index/words.idx") && e.getMessage().contains("not baked"),
        e.getMessage());
  }

  @Test
  void credentialsNeverShowInToString() {
    assertFalse(new RegistryCredentials("user", "s3cret").toString().contains("s3cret"));
    assertFalse(ImageTarget.registry("r/x:1", new RegistryCredentials("user", "s3cret"), Set.of()).toString()
        .contains("s3cret"));
  }

  // helpers

  private ImageAssembler.Builder assembler(String base) {
    return ImageAssembler.builder()
        .baseImage(base)
        .agentJar(agentJar)
        .allowInsecureRegistries(true)
        .applicationLayersCache(dir.resolve("jib-cache"))
        .baseImageLayersCache(work.resolve("jib-base-cache"))
        .toolVersion("test");
  }

  private static void assertArtifactLayer(List<ImageView.Entry> layer, BakedArtifact artifact, List<String> dirs)
      throws Exception {
    String file = artifact.entry().path().substring(1);
    List<String> expected = new ArrayList<>(dirs);
    expected.add(file);
    assertEquals(expected, ImageView.names(layer), "the layer holds exactly the artifact and its directories");
    for (int i = 0; i < dirs.size(); i++) {
      assertDirectory(ImageView.find(layer, dirs.get(i)), i == 0 ? 0755 : 0555);
    }
    ImageView.Entry entry = ImageView.find(layer, file);
    assertReadOnlyFile(entry, sha256(artifact.file()));
    assertEquals(artifact.entry().sha256(), entry.sha256());
  }

  private static void assertReadOnlyFile(ImageView.Entry entry, String sha256) {
    assertFalse(entry.directory(), entry.name());
    assertEquals(0444, entry.permissions(), entry.name() + " mode " + Integer.toOctalString(entry.permissions()));
    assertEquals(0, entry.uid(), entry.name());
    assertEquals(0, entry.gid(), entry.name());
    assertEquals(1, entry.mtimeSeconds(), entry.name());
    assertEquals(sha256, entry.sha256(), entry.name());
  }

  private static void assertDirectory(ImageView.Entry entry, int permissions) {
    assertTrue(entry.directory(), entry.name());
    assertEquals(Integer.toOctalString(permissions), Integer.toOctalString(entry.permissions()), entry.name());
    assertEquals(0, entry.uid(), entry.name());
    assertEquals(0, entry.gid(), entry.name());
    assertEquals(1, entry.mtimeSeconds(), entry.name());
  }

  private static BakedArtifact artifact(Path cache, String name, String path, byte[] bytes, List<SeedEntry> seeds)
      throws Exception {
    String sha256 = Hashing.sha256().hashBytes(bytes).toString();
    Path file = cache.resolve("sha256").resolve(sha256).resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    return new BakedArtifact(new ArtifactEntry(name, path, bytes.length, sha256,
        List.of("https://origin.example/" + name), seeds), file);
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(Path file) throws Exception {
    return Hashing.sha256().hashBytes(Files.readAllBytes(file)).toString();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Completed uploads of {@code digest} to {@code repository} in the registry's access log (the PUT naming it). */
  private static int uploads(String log, String repository, String digest) {
    String hex = digest.substring("sha256:".length());
    Matcher matcher = Pattern.compile("\"PUT /v2/" + Pattern.quote(repository) + "/blobs/uploads/[^\"]*" + hex)
        .matcher(log);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }

  private static ImageLog recording(List<String> lines) {
    return new ImageLog() {
      @Override
      public void lifecycle(String message) {
        lines.add(message);
      }

      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {}

      @Override
      public void debug(String message) {}
    };
  }
}
