package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo.FileEntry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which file of a torrent an artifact source names: the URI fragment {@code #file=<path>} (any BitTorrent
 * source; the path is '/'-separated below the torrent's directory, percent-encoded as a URI needs) or BEP 53
 * {@code so=<index>} on a magnet link (one 0-based file index). A source naming neither takes a single-file
 * torrent only.
 *
 * @param path the path segments named by {@code #file=}, or null
 * @param index the file index named by {@code so=}, or -1
 */
record FileChoice(List<String> path, int index) {

  /** How many files an error message lists. */
  static final int LISTED_FILES = 10;

  static final FileChoice NONE = new FileChoice(null, -1);

  FileChoice {
    path = path == null ? null : List.copyOf(path);
  }

  /**
   * The choice of {@code source}: its {@code #file=} fragment, else {@code selectOnly} (a magnet's raw
   * {@code so=} value, or null).
   *
   * @throws IllegalArgumentException naming the source, the value and the expected form
   */
  static FileChoice of(URI source, String shown, String selectOnly) {
    String fragment = source.getFragment();
    FileChoice fromFragment = fragment == null ? null : fromFragment(fragment, shown);
    FileChoice fromSo = selectOnly == null ? null : fromSelectOnly(selectOnly, shown);
    if (fromFragment != null && fromSo != null) {
      throw new IllegalArgumentException("source " + shown + " names its file twice (#file= and so=" + selectOnly
          + "); expected one of them");
    }
    return Objects.requireNonNullElse(fromFragment, Objects.requireNonNullElse(fromSo, NONE));
  }

  /** {@code source} without its fragment: what is read (a .torrent URL) or parsed (a magnet link). */
  static URI withoutFragment(URI source) {
    String s = source.toString();
    int hash = s.indexOf('#');
    return hash < 0 ? source : URI.create(s.substring(0, hash));
  }

  private static FileChoice fromFragment(String fragment, String shown) {
    if (!fragment.startsWith("file=")) {
      throw new IllegalArgumentException("source " + shown + " has the fragment '#" + fragment + "'; expected"
          + " #file=<path of a file inside the torrent, '/'-separated> or no fragment");
    }
    String value = fragment.substring("file=".length());
    List<String> segments = List.of(value.split("/", -1));
    if (value.isEmpty() || segments.stream().anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
      throw new IllegalArgumentException("source " + shown + ": #file='" + value + "' is not a path inside the"
          + " torrent; expected '/'-separated names such as #file=dir/model.bin");
    }
    return new FileChoice(segments, -1);
  }

  private static FileChoice fromSelectOnly(String value, String shown) {
    if (value.matches("\\d{1,9}")) {
      return new FileChoice(null, Integer.parseInt(value));
    }
    if (value.matches("[\\d,\\-]+")) {
      throw new IllegalArgumentException("source " + shown + ": magnet parameter so=" + value + " selects several"
          + " files; pierdat takes one file per artifact: give one 0-based index such as so=1, or #file=<path>");
    }
    throw new IllegalArgumentException("source " + shown + ": magnet parameter so='" + value + "' is not a file"
        + " index; expected one 0-based index such as so=1");
  }

  /** Whether the source names a file at all. */
  boolean named() {
    return path != null || index >= 0;
  }

  /**
   * The index of the chosen file among {@code files}.
   *
   * @param files the torrent's files (a single-file torrent has one, whose path is its name)
   * @param name the torrent's name (for a multi-file torrent, its directory)
   * @param shown the source as shown in messages
   * @param torrent the torrent as shown in messages
   * @throws IllegalArgumentException when no file or an absent file is named, listing the files
   */
  int select(List<FileEntry> files, String name, String shown, String torrent) {
    boolean single = files.size() == 1 && files.get(0).path().equals(List.of(name));
    if (index >= 0) {
      if (index < files.size()) {
        return index;
      }
      throw new IllegalArgumentException("source " + shown + ": magnet parameter so=" + index + " is not a file"
          + " of torrent " + torrent + ", which has " + files.size() + " file(s) (so=0.." + (files.size() - 1)
          + "): " + listing(files) + "; name one with so=<index> or #file=<path>");
    }
    if (path == null) {
      if (files.size() == 1) {
        return 0;
      }
      throw new IllegalArgumentException("source " + shown + ": torrent " + torrent + " has " + files.size()
          + " files and the source names none; add #file=<path> to the source naming the one the artifact is"
          + " (e.g. " + shown + "#file=" + String.join("/", files.get(0).path()) + "). Its files: "
          + listing(files));
    }
    if (single) {
      if (path.equals(List.of(name))) {
        return 0;
      }
      throw new IllegalArgumentException("source " + shown + ": #file=" + String.join("/", path) + " names a file,"
          + " but torrent " + torrent + " is a single file named '" + name + "'; use #file=" + name
          + " or leave #file= out");
    }
    for (int i = 0; i < files.size(); i++) {
      if (files.get(i).path().equals(path)) {
        return i;
      }
    }
    // Also take the path with the torrent's directory in front, as other clients show it.
    if (path.size() > 1 && path.get(0).equals(name)) {
      List<String> inner = path.subList(1, path.size());
      for (int i = 0; i < files.size(); i++) {
        if (files.get(i).path().equals(inner)) {
          return i;
        }
      }
    }
    throw new IllegalArgumentException("source " + shown + ": #file=" + String.join("/", path) + " is not a file"
        + " of torrent " + torrent + "; expected #file=<path> with one of its files: " + listing(files));
  }

  /** Up to {@link #LISTED_FILES} files as {@code [i] path (n bytes)}. */
  static String listing(List<FileEntry> files) {
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < Math.min(files.size(), LISTED_FILES); i++) {
      shown.add("[" + i + "] " + String.join("/", files.get(i).path()) + " (" + files.get(i).length() + " bytes)");
    }
    String more = files.size() > LISTED_FILES ? " and " + (files.size() - LISTED_FILES) + " more" : "";
    return String.join(", ", shown) + more;
  }

  @Override
  public String toString() {
    return path != null ? "#file=" + String.join("/", path) : index >= 0 ? "so=" + index : "(whole torrent)";
  }
}
