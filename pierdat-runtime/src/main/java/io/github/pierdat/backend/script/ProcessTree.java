package io.github.pierdat.backend.script;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops a process together with everything it started: a script often runs its real work (aria2c, a
 * daemon) as a child, which would live on as an orphan if only the script were stopped.
 */
final class ProcessTree {

  private ProcessTree() {}

  /**
   * Sends SIGTERM to {@code process} and its descendants, waits up to {@code grace} for them to exit, then
   * sends SIGKILL to whatever is left.
   */
  static void terminate(Process process, Duration grace) {
    // Descendants are listed before the parent dies: after that they are re-parented and out of reach.
    List<ProcessHandle> tree = tree(process);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        // still running (timeout) or gone: either way the next step decides
      }
    }
    List<ProcessHandle> left = new ArrayList<>(tree);
    process.descendants().forEach(left::add);
    left.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<ProcessHandle> tree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.add(process.toHandle());
    return tree;
  }
}
