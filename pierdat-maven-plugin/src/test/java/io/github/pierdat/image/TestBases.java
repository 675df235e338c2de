package io.github.pierdat.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small base images built with jib-core itself: one tiny layer and a command. */
final class TestBases {

  static final String HELLO = "app/hello.txt";

  /** A base image's command and settings. */
  record Base(List<String> entrypoint, List<String> cmd, String workingDir, String user, Map<String, String> env) {}

  static final Base WITH_ENTRYPOINT = new Base(List.of("/bin/app", "--verbose"), List.of("serve", "--port=8080"),
      "/srv/app", "1000:1000", Map.of("APP_MODE", "test"));
  static final Base CMD_ONLY = new Base(null, List.of("/bin/sh", "-c", "echo hello"), "/work", null,
      Map.of("APP_MODE", "cmd"));

  private final Path work;

  TestBases(Path work) {
    this.work = work;
  }

  void push(String reference, Base base) throws Exception {
    builder(base).containerize(cached(Containerizer.to(RegistryImage.named(reference))).setAllowInsecureRegistries(true));
  }

  void saveTar(Path tar, String reference, Base base) throws Exception {
    builder(base).containerize(cached(Containerizer.to(TarImage.at(tar).named(reference))));
  }

  private Containerizer cached(Containerizer containerizer) {
    return containerizer
        .setApplicationLayersCache(work.resolve("base-app-cache"))
        .setBaseImageLayersCache(work.resolve("base-base-cache"));
  }

  private JibContainerBuilder builder(Base base) throws Exception {
    Path hello = work.resolve("hello.txt");
    Files.writeString(hello, "hello from the base image\n", StandardCharsets.UTF_8);
    JibContainerBuilder builder = Jib.fromScratch()
        .addFileEntriesLayer(FileEntriesLayer.builder().addEntry(hello, AbsoluteUnixPath.get("/" + HELLO)).build())
        .setEntrypoint(base.entrypoint())
        .setProgramArguments(base.cmd())
        .setWorkingDirectory(AbsoluteUnixPath.get(base.workingDir()))
        .setEnvironment(base.env());
    if (base.user() != null) {
      builder.setUser(base.user());
    }
    return builder;
  }
}
