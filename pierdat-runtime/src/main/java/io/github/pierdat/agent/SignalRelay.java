package io.github.pierdat.agent;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * Catches SIGTERM, SIGINT and SIGHUP sent to the agent and sends the same signal to the app. The JDK has
 * no public signal API: handlers are installed with {@code sun.misc.Signal} (module jdk.unsupported).
 *
 * <p>Limits: SIGTERM is sent with {@link Process#destroy()}, which is SIGTERM on Unix. SIGINT and SIGHUP
 * need a {@code kill} command in the image ({@code kill}, busybox or {@code sh}); without one SIGINT is sent
 * as SIGTERM and SIGHUP is not forwarded (both logged). SIGQUIT cannot be forwarded: the JVM keeps it for
 * thread dumps (a SIGQUIT to the agent prints the agent's threads). Signals the JVM ignores on start
 * (e.g. SIGHUP under nohup) stay ignored.
 */
final class SignalRelay {

  /** Signals the relay handles. */
  private static final String[] SIGNALS = {"TERM", "INT", "HUP"};

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final List<String> installed = new ArrayList<>();
  private volatile Process child;
  private volatile int stopSignal;

  /** Installs the handlers; before the app starts, so no signal is lost. */
  void install() {
    for (String name : SIGNALS) {
      try {
        Signal.handle(new Signal(name), this::onSignal);
        installed.add(name);
      } catch (IllegalArgumentException e) {
        // ignored at JVM start (nohup) or reserved (-Xrs): nothing to forward
      }
    }
  }

  /** Signals this relay catches (for logs and tests). */
  List<String> installed() {
    return List.copyOf(installed);
  }

  private final java.util.concurrent.atomic.AtomicBoolean hupPending =
      new java.util.concurrent.atomic.AtomicBoolean();

  private void onSignal(Signal signal) {
    String name = signal.getName();
    if (!name.equals("HUP") && stopSignal == 0) {
      stopSignal = signal.getNumber();
      stopRequested.countDown();
    }
    if (name.equals("HUP")) {
      // The app may print its first line before attach(): a HUP then waits for it, like TERM and INT do.
      hupPending.set(true);
      Process c = child;
      if (c != null && c.isAlive() && hupPending.compareAndSet(true, false)) {
        forward(c, name);
      }
      return;
    }
    Process c = child;
    if (c != null && c.isAlive()) {
      forward(c, name);
    }
  }

  /**
   * Attaches the app's process: later signals go to it, and a stop requested while it was starting is
   * sent to it now.
   */
  void attach(Process process) {
    child = process;
    if (hupPending.compareAndSet(true, false) && process.isAlive()) {
      forward(process, "HUP");
    }
    int pending = stopSignal;
    if (pending != 0 && process.isAlive()) {
      forward(process, pending == 2 ? "INT" : "TERM");
    }
  }

  /** The signal number of the first TERM or INT received, or 0. */
  int stopSignal() {
    return stopSignal;
  }

  /** Waits for SIGTERM or SIGINT (data-only mode). */
  void awaitStop() throws InterruptedException {
    stopRequested.await();
  }

  /** Waits up to {@code millis} for SIGTERM or SIGINT; true if one came. */
  boolean awaitStop(long millis) throws InterruptedException {
    return stopRequested.await(millis, TimeUnit.MILLISECONDS);
  }

  private void forward(Process process, String name) {
    if (name.equals("TERM")) {
      process.destroy();
      return;
    }
    List<String> command = killCommand(name, process.pid());
    if (command.isEmpty()) {
      if (name.equals("INT")) {
        System.err.println("pierdat: no kill command in the image; sending SIGTERM instead of SIGINT to the app");
        process.destroy();
      } else {
        System.err.println("pierdat: no kill command in the image; SIGHUP is not forwarded to the app");
      }
      return;
    }
    try {
      Process k = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!k.waitFor(2, TimeUnit.SECONDS) || k.exitValue() != 0) {
        System.err.println("pierdat: could not forward SIG" + name + " to the app (" + command + ")");
      }
    } catch (IOException e) {
      System.err.println("pierdat: could not forward SIG" + name + " to the app: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A command that sends SIG{@code name} to {@code pid}: kill, busybox kill or the shell's kill; or empty. */
  private static List<String> killCommand(String name, long pid) {
    String signal = "-" + name;
    String target = Long.toString(pid);
    for (String kill : new String[] {"/bin/kill", "/usr/bin/kill"}) {
      if (new File(kill).canExecute()) {
        return List.of(kill, signal, target);
      }
    }
    if (new File("/bin/busybox").canExecute()) {
      return List.of("/bin/busybox", "kill", signal, target);
    }
    if (new File("/bin/sh").canExecute()) {
      return List.of("/bin/sh", "-c", "kill " + signal + " " + target);
    }
    return List.of();
  }
}
