package io.github.pierdat.it.agent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One hostile or malformed request to the HTTP seeder and the status it must get: traversal in every
 * spelling (dot segments, percent-encoded, double-encoded, overlong UTF-8, backslashes, absolute paths and
 * absolute-form targets), names of files the image holds but does not declare, {@code /proc} links,
 * garbage methods and malformed or oversized heads.
 *
 * @param label what the probe tries, for the test report
 * @param request the exact bytes sent
 * @param status the status the seeder must answer ({@code 0}: no answer at all)
 */
record SeederProbe(String label, byte[] request, int status) {

  @Override
  public String toString() {
    return label + " -> " + (status == 0 ? "no answer" : status);
  }

  /** Every probe, for an image whose only artifact is {@code artifactPath} with sha256 {@code sha}. */
  static List<SeederProbe> all(String artifactPath, String sha) {
    List<SeederProbe> probes = new ArrayList<>();
    for (String target : List.of(
        "/../etc/passwd",
        "/../../../../../../etc/passwd",
        "/artifacts/../etc/passwd",
        "/artifacts/" + sha + "/../../etc/passwd",
        artifactPath + "/../../etc/passwd",
        "/models/../etc/pier.dat",
        "/./etc/passwd",
        "//etc/passwd",
        "///etc//passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/etc/pier.dat",
        "/.%2e/etc/passwd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/..%252f..%252fetc%252fpasswd",
        "/%2fetc%2fpasswd",
        "/%c0%ae%c0%ae/etc/passwd",
        "/%c0%af..%c0%afetc/passwd",
        "/..%5c..%5cetc%5cpasswd",
        "/..\\..\\etc\\passwd",
        "/etc/passwd",
        "/etc/shadow",
        "/etc/pier.dat",
        "/opt/pierdat/pierdat-agent.jar",
        "/opt/pierdat/",
        "/opt/pierdat",
        "/opt/java/bin/java",
        "/models",
        "/models/",
        artifactPath + "/",
        "/models/./model.bin",
        artifactPath + "%00",
        artifactPath + "%00.txt",
        "/proc/self/root/etc/passwd",
        "/proc/1/root/etc/pier.dat",
        "/proc/self/cwd/etc/passwd",
        "/proc/self/environ",
        "/proc/1/environ",
        "/proc/self/fd/0",
        "/dev/stdin",
        "/artifacts/",
        "/artifacts",
        "/artifacts/" + sha.toUpperCase(Locale.ROOT),
        "/artifacts/" + sha + "x",
        "/artifacts/" + sha.substring(1),
        "/artifacts/*",
        "/~root/.ssh/id_rsa",
        "http://127.0.0.1/etc/passwd",
        "http://127.0.0.1/../etc/pier.dat",
        "http://127.0.0.1/%2e%2e/etc/passwd")) {
      probes.add(get("GET " + target, target, 404));
    }
    for (String target : List.of(
        "etc/passwd",
        "../etc/passwd",
        "..\\..\\etc\\passwd",
        "*",
        "file:///etc/passwd",
        artifactPath + "#/../../etc/passwd",
        "/%zz/etc/passwd",
        "/etc/passwd%",
        "/etc/pass\u00e9wd")) {
      probes.add(get("GET " + target, target, 400));
    }
    // A query never changes what is served: these still name the declared artifact.
    probes.add(get("GET query after artifact path", artifactPath + "?../../etc/passwd", 200));
    probes.add(get("GET query after seed path", "/artifacts/" + sha + "?file=/etc/passwd", 200));
    probes.add(get("GET absolute-form of another host", "http://evil.example" + artifactPath, 200));

    for (String method : List.of("FOO", "PUT", "POST", "DELETE", "PATCH", "TRACE", "OPTIONS", "PROPFIND", "get")) {
      probes.add(raw(method + " /etc/passwd", method + " /etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
          + "Content-Length: 4\r\n\r\nabcd", 405));
    }
    probes.add(raw("CONNECT to a host port", "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n", 405));
    probes.add(raw("method with a NUL", "G\0ET /etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400));
    probes.add(raw("method with a slash", "GET/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400));
    probes.add(raw("tab instead of space", "GET\t/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400));
    probes.add(raw("two spaces", "GET  /etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400));
    probes.add(raw("no version", "GET /etc/passwd\r\nHost: x\r\n\r\n", 400));
    probes.add(raw("HTTP/0.9 style", "GET /etc/passwd\r\n\r\n", 400));
    probes.add(raw("unknown protocol", "GET /etc/passwd FTP/1.0\r\nHost: x\r\n\r\n", 400));
    probes.add(raw("HTTP/2.0 in HTTP/1 syntax", "GET /etc/passwd HTTP/2.0\r\nHost: x\r\n\r\n", 505));
    probes.add(raw("extra request-line field", "GET /etc/passwd HTTP/1.1 x\r\nHost: x\r\n\r\n", 400));
    probes.add(raw("header without colon", "GET /etc/passwd HTTP/1.1\r\nHost x\r\n\r\n", 400));
    probes.add(raw("folded header", "GET / HTTP/1.1\r\nHost: x\r\n X-Folded: /etc/passwd\r\n\r\n", 400));
    probes.add(raw("NUL in a header", "GET / HTTP/1.1\r\nHost: x\0/etc/passwd\r\n\r\n", 400));
    probes.add(raw("header name with a space", "GET / HTTP/1.1\r\nX Path: /etc/passwd\r\n\r\n", 400));
    probes.add(raw("bare CR in the request line", "GET /etc/passwd\rHTTP/1.1\r\nHost: x\r\n\r\n", 400));
    probes.add(raw("head cut off", "GET /etc/passwd HTTP/1.1\r\nHost: x\r\n", 400));
    probes.add(raw("blank lines only", "\r\n\r\n\r\n", 0));
    probes.add(raw("overlong request line", "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\n\r\n", 414));
    probes.add(raw("overlong traversal", "GET " + "/..".repeat(6_000) + "/etc/passwd HTTP/1.1\r\n\r\n", 414));
    probes.add(raw("overlong header", "GET / HTTP/1.1\r\nX-Long: " + "b".repeat(20_000) + "\r\n\r\n", 431));
    StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i < 150; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    probes.add(raw("150 header fields", many.append("\r\n").toString(), 431));
    byte[] garbage = new byte[2048];
    new Random(4242).nextBytes(garbage);
    probes.add(new SeederProbe("2 KiB of random bytes", garbage, 400));
    probes.add(new SeederProbe("TLS client hello", tlsHello(), 400));
    return List.copyOf(probes);
  }

  private static SeederProbe get(String label, String target, int status) {
    return raw(label, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", status);
  }

  private static SeederProbe raw(String label, String request, int status) {
    return new SeederProbe(label, request.getBytes(StandardCharsets.ISO_8859_1), status);
  }

  /** The start of a TLS 1.2 ClientHello: what a client speaking HTTPS to the plain port sends first. */
  private static byte[] tlsHello() {
    byte[] hello = new byte[64];
    byte[] start = {0x16, 0x03, 0x01, 0x00, 0x3b, 0x01, 0x00, 0x00, 0x37, 0x03, 0x03};
    System.arraycopy(start, 0, hello, 0, start.length);
    return hello;
  }
}
