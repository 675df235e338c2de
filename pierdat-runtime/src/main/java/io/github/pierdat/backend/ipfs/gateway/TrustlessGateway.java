package io.github.pierdat.backend.ipfs.gateway;

import io.github.pierdat.backend.ipfs.car.CarWriter;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.CidFormatException;
import io.github.pierdat.backend.ipfs.cid.Multihash;
import io.github.pierdat.backend.ipfs.unixfs.ImportedBlock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trustless IPFS gateway (the verifiable subset of the HTTP gateway spec, IPIP-402) over a fixed set of
 * local files, each known by its UnixFS CID. Server-agnostic: give it the request method, URI and
 * {@code Accept} header; it returns a {@link GatewayResponse} to send. It answers:
 * <ul>
 *   <li>{@code GET /ipfs/<cid>?format=raw} or {@code Accept: application/vnd.ipld.raw}: the single block
 *       {@code cid}, which may be a file's root or any block of its DAG;</li>
 *   <li>{@code GET /ipfs/<cid>?format=car} or {@code Accept: application/vnd.ipld.car}: the DAG under
 *       {@code cid} as a CARv1 stream with {@code cid} as its root, blocks in depth-first order, duplicates
 *       included ({@code order=dfs; dups=y}); {@code dag-scope=block|entity|all} and
 *       {@code entity-bytes=from:to} are honoured;</li>
 *   <li>HEAD for both; anything else is 400 (bad CID or parameter), 404 (not one of these files' blocks),
 *       405 (method) or 406 (no verifiable format asked for).</li>
 * </ul>
 * Blocks are found through an index built by re-running the importer over each file, lazily on the first
 * request that needs it (or eagerly with {@link #prepare()}); leaves are read back from the file and
 * interior nodes kept in memory, and every block is checked against its CID before it is sent. Only the
 * CID in the request path selects data: no filesystem path ever comes from a request. Thread-safe.
 */
public final class TrustlessGateway {

  /** Media type of a single block. */
  public static final String RAW = "application/vnd.ipld.raw";
  /** Media type of a CAR stream. */
  public static final String CAR = "application/vnd.ipld.car";

  private static final Logger LOG = LoggerFactory.getLogger(TrustlessGateway.class);
  private static final String CAR_TYPE = CAR + "; version=1; order=dfs; dups=y";
  private static final String IMMUTABLE = "public, max-age=29030400, immutable";

  private final Map<Multihash, Entry> roots;
  private volatile Map<Multihash, Located> allBlocks;

  private TrustlessGateway(Map<Multihash, Entry> roots) {
    this.roots = roots;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The root CIDs served. */
  public List<Cid> roots() {
    return roots.values().stream().map(e -> e.cid).toList();
  }

  /**
   * Builds every file's block index now (a pass over each file), rather than on the first request.
   *
   * @throws IOException when a file cannot be read or does not hash to its CID
   */
  public void prepare() throws IOException {
    for (Entry entry : roots.values()) {
      entry.index();
    }
    allBlocks();
  }

  /**
   * The root CID of the served file that {@code block} belongs to (itself for a root), or empty when it is
   * none of theirs or the index is unavailable. Builds the index if needed.
   */
  public java.util.Optional<Cid> fileOf(Cid block) {
    try {
      Located located = locate(block.multihash());
      return located == null ? java.util.Optional.empty() : java.util.Optional.of(located.index.root());
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Answers one request.
   *
   * @param method the HTTP method
   * @param requestUri the request URI as received (path and query are used, raw)
   * @param accept the {@code Accept} header, or null
   */
  public GatewayResponse respond(String method, URI requestUri, String accept) {
    boolean head = "HEAD".equalsIgnoreCase(method);
    if (!head && !"GET".equalsIgnoreCase(method)) {
      return GatewayResponse.text(405, "method " + method + " is not allowed; use GET or HEAD", false,
          Map.of("Allow", "GET, HEAD"));
    }
    String path = requestUri.getRawPath();
    if (path == null || !path.startsWith("/ipfs/")) {
      return error(404, "not found: only /ipfs/<cid> is served here", head);
    }
    String rest = path.substring("/ipfs/".length());
    int slash = rest.indexOf('/');
    String cidText = slash < 0 ? rest : rest.substring(0, slash);
    String subPath = slash < 0 ? "" : rest.substring(slash + 1);
    Cid cid;
    try {
      cid = Cid.parse(cidText);
    } catch (CidFormatException e) {
      return error(400, e.getMessage(), head);
    }
    Map<String, String> query = parseQuery(requestUri.getRawQuery());
    String format;
    try {
      format = format(query.get("format"), accept);
    } catch (IllegalArgumentException e) {
      return error(400, e.getMessage(), head);
    }
    if (format == null) {
      return error(406, "this is a trustless gateway: ask for ?format=raw or ?format=car"
          + " (or Accept: " + RAW + " or " + CAR + ")", head);
    }
    Located located;
    try {
      located = locate(cid.multihash());
    } catch (IOException e) {
      LOG.warn("IPFS gateway: cannot index the files to serve {}: {}", cid, e.getMessage());
      return error(500, "the block index for " + cid + " is unavailable on this seeder", head);
    }
    if (located == null) {
      return error(404, "block " + cid + " is not served here", head);
    }
    if (!subPath.isEmpty()) {
      return error(404, "CID " + cid + " is a file or a block of one; the path /" + subPath + " inside it does not exist",
          head);
    }
    return format.equals(RAW) ? raw(cid, located, head) : car(cid, located, query, head);
  }

  private GatewayResponse raw(Cid cid, Located located, boolean head) {
    Map<String, String> headers = immutableHeaders(RAW, cid, "raw");
    headers.put("Content-Disposition", "attachment; filename=\"" + cid + ".bin\"");
    return new GatewayResponse(200, headers, located.location.blockLength(), out -> {
      try (FileChannel channel = located.index.open()) {
        out.write(located.index.read(located.location, channel));
      }
    }, !head);
  }

  private GatewayResponse car(Cid cid, Located located, Map<String, String> query, boolean head) {
    String scope = query.getOrDefault("dag-scope", "all");
    if (!scope.equals("all") && !scope.equals("entity") && !scope.equals("block")) {
      return error(400, "dag-scope=" + scope + " is not supported; use all, entity or block", head);
    }
    long[] range;
    try {
      range = entityBytes(query.get("entity-bytes"), located.location.length());
    } catch (IllegalArgumentException e) {
      return error(400, e.getMessage(), head);
    }
    boolean blockOnly = scope.equals("block");
    List<Cid> roots = List.of(cid);
    long[] length = {CarWriter.headerLength(roots)};
    Visitor sizer = (c, loc) -> length[0] += CarWriter.sectionLength(c, loc.blockLength());
    try {
      walk(located.index, cid, located.location, 0, range, blockOnly, sizer);
    } catch (IOException e) {
      return error(500, "cannot list the blocks of " + cid, head);
    }
    Map<String, String> headers = immutableHeaders(CAR_TYPE, cid, "car");
    headers.put("Content-Disposition", "attachment; filename=\"" + cid + ".car\"");
    return new GatewayResponse(200, headers, length[0], out -> writeCar(located, cid, roots, range, blockOnly, out),
        !head);
  }

  private void writeCar(Located located, Cid cid, List<Cid> roots, long[] range, boolean blockOnly, OutputStream out)
      throws IOException {
    CarWriter writer = new CarWriter(out, roots);
    try (FileChannel channel = located.index.open()) {
      walk(located.index, cid, located.location, 0, range, blockOnly,
          (c, loc) -> writer.write(c, located.index.read(loc, channel)));
    }
  }

  @FunctionalInterface
  private interface Visitor {
    void visit(Cid cid, BlockLocation location) throws IOException;
  }

  /** Depth-first, pre-order; skips subtrees wholly outside {@code range} (file offsets, inclusive). */
  private static void walk(FileIndex index, Cid cid, BlockLocation location, long offset, long[] range,
      boolean blockOnly, Visitor visitor) throws IOException {
    visitor.visit(cid, location);
    if (blockOnly || location.kind() != ImportedBlock.Kind.INTERIOR) {
      return;
    }
    long childOffset = offset;
    for (int i = 0; i < location.children().size(); i++) {
      long size = location.childSizes()[i];
      long end = childOffset + size - 1;
      if (end >= range[0] && childOffset <= range[1]) {
        Cid child = location.children().get(i);
        BlockLocation childLocation = index.get(child.multihash());
        if (childLocation == null) {
          throw new IOException("index of " + index.root() + " lacks block " + child);
        }
        walk(index, child, childLocation, childOffset, range, false, visitor);
      }
      childOffset += size;
    }
  }

  /** {@code entity-bytes=from:to} as inclusive offsets; negative {@code from} counts from the end. */
  private static long[] entityBytes(String value, long size) {
    if (value == null) {
      return new long[] {0, Long.MAX_VALUE};
    }
    int colon = value.indexOf(':');
    try {
      if (colon < 0) {
        throw new NumberFormatException();
      }
      long from = Long.parseLong(value.substring(0, colon));
      String toText = value.substring(colon + 1);
      long to = toText.equals("*") ? Long.MAX_VALUE : Long.parseLong(toText);
      if (from < 0) {
        from = Math.max(0, size + from);
      }
      if (to < 0) {
        to = size + to;
      }
      return new long[] {from, to};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("entity-bytes=" + value + " is malformed; expected from:to, e.g. 0:* or 0:1048575");
    }
  }

  private static String format(String formatParam, String accept) {
    if (formatParam != null) {
      return switch (formatParam) {
        case "raw" -> RAW;
        case "car" -> CAR;
        default -> throw new IllegalArgumentException(
            "format=" + formatParam + " is not supported by this trustless gateway; use format=raw or format=car");
      };
    }
    if (accept == null) {
      return null;
    }
    for (String part : accept.split(",")) {
      String type = part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (type.equals(RAW) || type.equals(CAR)) {
        return type;
      }
    }
    return null;
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> query = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.putIfAbsent(key, value);
    }
    return query;
  }

  private static Map<String, String> immutableHeaders(String type, Cid cid, String format) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", type);
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Cache-Control", IMMUTABLE);
    headers.put("Etag", "\"" + cid + "." + format + "\"");
    headers.put("Vary", "Accept");
    headers.put("X-Ipfs-Path", "/ipfs/" + cid);
    return headers;
  }

  private static GatewayResponse error(int status, String message, boolean head) {
    return GatewayResponse.text(status, message, head, Map.of());
  }

  private Located locate(Multihash multihash) throws IOException {
    Entry root = roots.get(multihash);
    if (root != null) {
      FileIndex index = root.index();
      return new Located(index, index.rootLocation());
    }
    return allBlocks().get(multihash);
  }

  private Map<Multihash, Located> allBlocks() throws IOException {
    Map<Multihash, Located> all = allBlocks;
    if (all == null) {
      synchronized (this) {
        all = allBlocks;
        if (all == null) {
          all = new HashMap<>();
          for (Entry entry : roots.values()) {
            FileIndex index = entry.index();
            for (Map.Entry<Multihash, BlockLocation> e : index.blocks().entrySet()) {
              all.putIfAbsent(e.getKey(), new Located(index, e.getValue()));
            }
          }
          allBlocks = all;
        }
      }
    }
    return all;
  }

  private record Located(FileIndex index, BlockLocation location) {}

  /** One seeded file and its lazily built index. */
  private static final class Entry {
    final Cid cid;
    final Path file;
    private volatile FileIndex index;

    Entry(Cid cid, Path file) {
      this.cid = cid;
      this.file = file;
    }

    FileIndex index() throws IOException {
      FileIndex i = index;
      if (i == null) {
        synchronized (this) {
          i = index;
          if (i == null) {
            i = FileIndex.build(cid, file);
            index = i;
          }
        }
      }
      return i;
    }
  }

  /** Fluent builder: the files to serve, each with its CID. */
  public static final class Builder {
    private final Map<Multihash, Entry> roots = new LinkedHashMap<>();

    private Builder() {}

    /** Serves {@code file}, whose UnixFS CID is {@code cid} (checked when the file is first indexed). */
    public Builder file(Cid cid, Path file) {
      Objects.requireNonNull(cid, "cid");
      Objects.requireNonNull(file, "file");
      roots.putIfAbsent(cid.multihash(), new Entry(cid, file));
      return this;
    }

    public TrustlessGateway build() {
      return new TrustlessGateway(new LinkedHashMap<>(roots));
    }
  }
}
