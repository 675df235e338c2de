package io.github.pierdat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.PierdatVersion;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher script: installed by the CLI, run by real POSIX shells (dash and busybox ash). */
class LauncherTest {

  @TempDir Path dir;

  private int run(List<String> args, ByteArrayOutputStream out, ByteArrayOutputStream err) {
    return Main.run(args, java.util.Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void installLauncherWritesTheShippedScriptExecutable() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path bin = dir.resolve("usr/bin");

    assertEquals(0, run(List.of("install-launcher", bin.toString()), out, err), err::toString);

    Path script = bin.resolve("pierdat");
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(script)));
    assertEquals(Launcher.script(), Files.readString(script));
    assertTrue(Files.readString(script).contains("default_jar=\"/opt/pierdat/pierdat-agent.jar\""));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("installed " + script));
    try (var files = Files.list(bin)) {
      assertEquals(List.of(script), files.toList(), "no temporary file left");
    }
    // Again: replaced in place.
    assertEquals(0, run(List.of("install-launcher", bin.toString()), out, err), err::toString);
  }

  @Test
  void installLauncherRefusesMoreThanOneDirectory() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(2, run(List.of("install-launcher", "/a", "/b"), new ByteArrayOutputStream(), err));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("install-launcher takes at most one argument"));
  }

  @Test
  void launcherDefaultsToTheJarItWasInstalledFrom() throws Exception {
    assertTrue(Launcher.script(Path.of("/srv/pierdat/agent.jar")).contains("default_jar=\"/srv/pierdat/agent.jar\""));
    assertThrows(IllegalArgumentException.class, () -> Launcher.script(Path.of("/srv/$(id)/agent.jar")));
    InstallLauncherCommand command = new InstallLauncherCommand(new PrintStream(OutputStream.nullOutputStream()),
        new PrintStream(OutputStream.nullOutputStream()), Optional.of(Path.of("/srv/pierdat/agent.jar")));
    assertEquals(0, command.run(List.of(dir.toString())));
    assertTrue(Files.readString(dir.resolve("pierdat")).contains("default_jar=\"/srv/pierdat/agent.jar\""));
  }

  @Test
  void launcherRunsTheAgentJarUnderDashAndBusyboxAsh() throws Exception {
    assertEquals(0, run(List.of("install-launcher", dir.toString()), new ByteArrayOutputStream(),
        new ByteArrayOutputStream()));
    Path jar = pathingJar(dir.resolve("agent.jar"));
    for (List<String> shell : List.of(List.of("/bin/sh"), List.of("busybox", "sh"))) {
      List<String> command = new ArrayList<>(shell);
      command.add(dir.resolve("pierdat").toString());
      command.add("--version");
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("PIERDAT_JAR", jar.toString());
      builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
      builder.environment().put("PIERDAT_JAVA_OPTS", "-XshowSettings:properties -Dpierdat.launcher.test=two*words");
      Path out = Files.createTempFile(dir, "out", ".txt");
      Path err = Files.createTempFile(dir, "err", ".txt");
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, process.exitValue(), shell + ": " + Files.readString(err));
      assertEquals("pierdat " + PierdatVersion.get(), Files.readString(out).trim(), shell.toString());
      // The options were split into two JVM options, and the * was not globbed.
      assertTrue(Files.readString(err).contains("pierdat.launcher.test = two*words"), Files.readString(err));
    }
  }

  @Test
  void launcherKeepsTheFullJitForGetAndLimitsTheAgentToC1() throws Exception {
    assertEquals(0, run(List.of("install-launcher", dir.toString()), new ByteArrayOutputStream(),
        new ByteArrayOutputStream()));
    // A "java" that prints its arguments: what the launcher would start.
    Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
    Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\necho \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals("-XX:+UseSerialGC -Xss512k -Xms8m -jar /j.jar get --sha256 abc file:/x /y",
        launch(List.of("get", "--sha256", "abc", "file:/x", "/y")));
    assertEquals("-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms8m -jar /j.jar run -- app",
        launch(List.of("run", "--", "app")));
    assertEquals("-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms8m -jar /j.jar", launch(List.of()));
  }

  /** Runs the installed launcher under /bin/sh with the fake JDK and no PIERDAT_JAVA_OPTS; its stdout. */
  private String launch(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/bin/sh", dir.resolve("pierdat").toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("PIERDAT_JAVA_OPTS");
    builder.environment().put("PIERDAT_JAR", "/j.jar");
    builder.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
    Process process = builder.redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), out);
    return out.trim();
  }

  /** A jar without classes whose manifest runs Main from this test's class path. */
  private static Path pathingJar(Path jar) throws Exception {
    StringBuilder classPath = new StringBuilder();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classPath.append(Path.of(entry).toUri()).append(' ');
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.github.pierdat.cli.Main");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().trim());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.flush();
    }
    return jar;
  }
}
