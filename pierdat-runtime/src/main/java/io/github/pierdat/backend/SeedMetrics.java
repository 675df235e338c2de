package io.github.pierdat.backend;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's counters, shared by all seeders and its watchdog, rendered in the Prometheus text format
 * by whichever seeder exposes {@code /metrics}. Thread-safe.
 */
public final class SeedMetrics {

  private record Served(String artifact, String backend) {}

  private final ConcurrentMap<Served, LongAdder> bytesServed = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, SeederStatus> seeders = new ConcurrentHashMap<>();
  private final AtomicLong activeTransfers = new AtomicLong();

  /** Counts {@code bytes} of {@code artifact} (its name) sent by {@code backend}. */
  public void served(String artifact, String backend, long bytes) {
    bytesServed.computeIfAbsent(new Served(artifact, backend), k -> new LongAdder()).add(bytes);
  }

  /** Bytes of {@code artifact} sent by {@code backend} so far. */
  public long bytesServed(String artifact, String backend) {
    LongAdder adder = bytesServed.get(new Served(artifact, backend));
    return adder == null ? 0 : adder.sum();
  }

  /** A transfer (of any backend) began; pair with {@link #transferEnded()}. */
  public void transferStarted() {
    activeTransfers.incrementAndGet();
  }

  public void transferEnded() {
    activeTransfers.decrementAndGet();
  }

  public long activeTransfers() {
    return activeTransfers.get();
  }

  /** Counts one answered request by its status code (e.g. HTTP 200, 404). */
  public void request(int code) {
    requests.computeIfAbsent(Integer.toString(code), k -> new LongAdder()).increment();
  }

  /** Records the latest status of a seeder (the watchdog calls this). */
  public void seeder(SeederStatus status) {
    seeders.put(status.backend(), status);
  }

  /** The latest status of every seeder, sorted by backend. */
  public List<SeederStatus> seeders() {
    return List.copyOf(new TreeMap<>(seeders).values());
  }

  /** All counters in the Prometheus text exposition format (version 0.0.4). */
  public String prometheus() {
    StringBuilder out = new StringBuilder(1024);
    out.append("# HELP pierdat_bytes_served_total Bytes of each artifact sent to peers, by backend.\n")
        .append("# TYPE pierdat_bytes_served_total counter\n");
    Map<String, Long> sortedServed = new TreeMap<>();
    bytesServed.forEach((k, v) -> sortedServed.put(
        "{artifact=\"" + label(k.artifact()) + "\",backend=\"" + label(k.backend()) + "\"}", v.sum()));
    sortedServed.forEach((labels, v) -> out.append("pierdat_bytes_served_total").append(labels)
        .append(' ').append(v).append('\n'));
    out.append("# HELP pierdat_active_transfers Transfers in progress.\n")
        .append("# TYPE pierdat_active_transfers gauge\n")
        .append("pierdat_active_transfers ").append(activeTransfers.get()).append('\n');
    out.append("# HELP pierdat_seeder_restarts_total Restarts of each seeder by the watchdog.\n")
        .append("# TYPE pierdat_seeder_restarts_total counter\n");
    for (SeederStatus s : seeders()) {
      out.append("pierdat_seeder_restarts_total{backend=\"").append(label(s.backend())).append("\"} ")
          .append(s.restarts()).append('\n');
    }
    out.append("# HELP pierdat_seeder_up Whether each seeder is serving (1) or not (0).\n")
        .append("# TYPE pierdat_seeder_up gauge\n");
    for (SeederStatus s : seeders()) {
      out.append("pierdat_seeder_up{backend=\"").append(label(s.backend())).append("\"} ")
          .append("running".equals(s.state()) ? 1 : 0).append('\n');
    }
    out.append("# HELP pierdat_requests_total Requests answered, by status code.\n")
        .append("# TYPE pierdat_requests_total counter\n");
    new TreeMap<>(requests).forEach((code, v) -> out.append("pierdat_requests_total{code=\"")
        .append(code).append("\"} ").append(v.sum()).append('\n'));
    return out.toString();
  }

  private static String label(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
