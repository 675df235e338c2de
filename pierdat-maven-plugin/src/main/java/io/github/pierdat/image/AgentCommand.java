package io.github.pierdat.image;

import io.github.pierdat.manifest.ImagePaths;
import java.util.ArrayList;
import java.util.List;

/**
 * The image's entrypoint: the agent, which seeds the artifacts and runs the base image's command as its
 * child. The image's CMD stays the base image's CMD and reaches the agent after {@code --}, so
 * {@code docker run IMAGE other args} replaces it as usual.
 */
public final class AgentCommand {

  /**
   * JVM flags for a small, quick-starting agent: the serial collector (no GC threads), C1 only, small
   * thread stacks, a small initial heap (the default, 1/64 of the memory, lets eden fill pages the agent
   * never needs: RSS over 64 MB before the first request) and at most a quarter of the memory for the heap.
   */
  public static final List<String> DEFAULT_JVM_FLAGS = List.of(
      "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xms8m", "-XX:MaxRAMPercentage=25");

  private AgentCommand() {}

  /** {@code java <jvmFlags> -jar /opt/pierdat/pierdat-agent.jar run --}. */
  public static List<String> entrypoint(List<String> jvmFlags) {
    List<String> entrypoint = new ArrayList<>();
    entrypoint.add("java");
    entrypoint.addAll(jvmFlags);
    entrypoint.addAll(List.of("-jar", ImagePaths.AGENT_JAR, "run", "--"));
    return List.copyOf(entrypoint);
  }
}
