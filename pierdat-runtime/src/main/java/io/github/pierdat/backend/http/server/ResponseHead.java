package io.github.pierdat.backend.http.server;

import io.github.pierdat.PierdatVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** A response status line and header fields, rendered to bytes in one buffer. */
final class ResponseHead {

  private static final String SERVER = "pierdat/" + PierdatVersion.get();

  private final int status;
  private final StringBuilder fields = new StringBuilder(256);

  ResponseHead(int status) {
    this.status = status;
  }

  int status() {
    return status;
  }

  ResponseHead add(String name, Object value) {
    fields.append(name).append(": ").append(value).append("\r\n");
    return this;
  }

  ByteBuffer render(boolean keepAlive) {
    StringBuilder out = new StringBuilder(fields.length() + 128);
    out.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
        .append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
        .append("\r\n")
        .append("Server: ").append(SERVER).append("\r\n")
        .append(fields)
        .append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
    return ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 206 -> "Partial Content";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 414 -> "URI Too Long";
      case 416 -> "Range Not Satisfiable";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status";
    };
  }
}
