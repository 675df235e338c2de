package io.github.pierdat.image;

import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which directory entries a layer holding a file gets, and with which permissions.
 *
 * <p>Every layer tar carries an entry for each ancestor directory of its files (Jib always writes them),
 * and a runtime applying the layer gives an existing directory the entry's mode and owner. So these
 * entries are chosen, not left to Jib's default (0755):
 *
 * <ul>
 *   <li>a top-level directory ({@code /data}, {@code /opt}, {@code /etc}, ...) and the conventional
 *       system directories in {@link #SYSTEM_DIRECTORIES} keep the mode such directories have in every
 *       distribution: 0755 ({@code /root}: 0700), owned by root;
 *   <li>every deeper directory ({@code /data/models}, {@code /opt/pierdat}) is one pierdat creates for its
 *       files: 0555, owned by root, so no user but root can add, replace or remove files in it.
 * </ul>
 *
 * Artifacts cannot live below {@code /tmp} or {@code /var/tmp} (a layer cannot carry the sticky bit these
 * need, so the base image's would be lost) nor below {@code /proc}, {@code /sys} or {@code /dev} (the
 * runtime mounts over them, hiding the file). Place artifacts in a directory of their own such as
 * {@code /data/<name>/}: a directory the base image gives to a non-root user would become root's.
 */
public final class DirectoryPolicy {

  /** Permissions of a directory pierdat creates. */
  public static final FilePermissions CREATED = FilePermissions.fromOctalString("555");
  /** Permissions of a top-level or conventional system directory. */
  public static final FilePermissions SYSTEM = FilePermissions.fromOctalString("755");

  /** Conventional directories below the top level that keep 0755. */
  public static final Set<String> SYSTEM_DIRECTORIES = Set.of(
      "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib64", "/usr/libexec", "/usr/share", "/usr/include",
      "/usr/local", "/usr/local/bin", "/usr/local/lib", "/usr/local/share",
      "/var/lib", "/var/cache", "/var/opt", "/var/local", "/var/log", "/var/spool", "/var/www",
      "/etc/ssl", "/etc/ssl/certs", "/etc/default", "/etc/opt");

  private static final Set<String> REFUSED_ROOTS = Set.of("/tmp", "/var/tmp", "/proc", "/sys", "/dev");

  /** A directory entry: its absolute path and permissions. */
  public record Directory(String path, FilePermissions permissions) {}

  private DirectoryPolicy() {}

  /** The ancestor directories of {@code filePath}, outermost first, with the permissions they get. */
  public static List<Directory> ancestors(String filePath) {
    List<Directory> directories = new ArrayList<>();
    int slash = filePath.indexOf('/', 1);
    while (slash > 0) {
      String directory = filePath.substring(0, slash);
      directories.add(new Directory(directory, permissions(directory)));
      slash = filePath.indexOf('/', slash + 1);
    }
    return directories;
  }

  /** Why a file cannot live at {@code filePath} under this policy, or empty if it can. */
  public static Optional<String> problem(String filePath) {
    for (String root : REFUSED_ROOTS) {
      if (filePath.startsWith(root + "/")) {
        return Optional.of(root.equals("/tmp") || root.equals("/var/tmp")
            ? "is below " + root + ", whose sticky bit an image layer cannot keep; choose a path such as /data/"
                + filePath.substring(filePath.lastIndexOf('/') + 1)
            : "is below " + root + ", which the container runtime mounts over; choose a path such as /data/"
                + filePath.substring(filePath.lastIndexOf('/') + 1));
      }
    }
    return Optional.empty();
  }

  private static FilePermissions permissions(String directory) {
    if (directory.equals("/root")) {
      return FilePermissions.fromOctalString("700");
    }
    boolean topLevel = directory.indexOf('/', 1) < 0;
    return topLevel || SYSTEM_DIRECTORIES.contains(directory) ? SYSTEM : CREATED;
  }
}
