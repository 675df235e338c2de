package io.github.pierdat.backend.ipfs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.github.pierdat.backend.ipfs.gateway.GatewayResponse;
import io.github.pierdat.backend.ipfs.gateway.TrustlessGateway;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A real HTTP server on 127.0.0.1 (free port), for gateways and RPC APIs in tests. */
final class TestHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final com.sun.net.httpserver.HttpContext context;

  private TestHttpServer(HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    context = server.createContext("/", handler);
    server.start();
  }

  static TestHttpServer start(HttpHandler handler) throws IOException {
    return new TestHttpServer(handler);
  }

  /** Serves {@code gateway} as the agent's seeder would. */
  static TestHttpServer gateway(TrustlessGateway gateway) throws IOException {
    return start(handler(gateway, null));
  }

  /** Serves {@code gateway}, passing bodies through {@code tamper} (which may change their length). */
  static TestHttpServer tampered(TrustlessGateway gateway, Function<HttpExchange, Function<OutputStream, OutputStream>> tamper)
      throws IOException {
    return start(handler(gateway, tamper));
  }

  /** The handler {@link #gateway} installs, for wrapping in other handlers. */
  static HttpHandler gatewayHandler(TrustlessGateway gateway) {
    return handler(gateway, null);
  }

  /** Records each request as {@code "METHOD /path?query"} into {@code requests}. */
  TestHttpServer recordingInto(java.util.List<String> requests) {
    context.getFilters().add(new com.sun.net.httpserver.Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        URI uri = exchange.getRequestURI();
        requests.add(exchange.getRequestMethod() + " " + uri.getRawPath()
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        chain.doFilter(exchange);
      }

      @Override
      public String description() {
        return "records requests";
      }
    });
    return this;
  }

  private static HttpHandler handler(TrustlessGateway gateway,
      Function<HttpExchange, Function<OutputStream, OutputStream>> tamper) {
    return exchange -> {
      try (exchange) {
        GatewayResponse response = gateway.respond(exchange.getRequestMethod(), exchange.getRequestURI(),
            exchange.getRequestHeaders().getFirst("Accept"));
        response.headers().forEach(exchange.getResponseHeaders()::set);
        Function<OutputStream, OutputStream> filter = tamper == null ? null : tamper.apply(exchange);
        long length = !response.hasBody() || response.contentLength() == 0 ? -1
            : filter != null ? 0 : response.contentLength();
        exchange.sendResponseHeaders(response.status(), length);
        OutputStream body = exchange.getResponseBody();
        response.writeBody(filter == null ? body : filter.apply(body));
      }
    };
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Flips one bit of the byte at {@code index} of the body. */
  static Function<OutputStream, OutputStream> flipByteAt(long index) {
    return out -> new FilterOutputStream(out) {
      private long pos;

      @Override
      public void write(int b) throws IOException {
        out.write(pos++ == index ? b ^ 0x01 : b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        for (int i = 0; i < len; i++) {
          write(b[off + i]);
        }
      }
    };
  }

  /** Leaves out the bytes {@code [from, to)} of the body. */
  static Function<OutputStream, OutputStream> dropBytes(long from, long to) {
    return out -> new FilterOutputStream(out) {
      private long pos;

      @Override
      public void write(int b) throws IOException {
        if (pos < from || pos >= to) {
          out.write(b);
        }
        pos++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        for (int i = 0; i < len; i++) {
          write(b[off + i]);
        }
      }
    };
  }
}
