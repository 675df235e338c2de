package io.github.pierdat.jib;

import com.google.cloud.tools.jib.api.buildplan.ContainerBuildPlan;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.LayerObject;
import io.github.pierdat.manifest.ImagePaths;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds where pierdat's files would collide with the files Jib's own layers put in the image: the same
 * path, a file of one inside a directory of the other, or anything inside Jib's application root
 * ({@code <container><appRoot>}, {@code /app} by default), which Jib fills and may rearrange between builds.
 */
final class JibPathConflicts {

  private static final String CLASSPATH_FILE = "/jib-classpath-file";

  private final List<FileEntry> entries = new ArrayList<>();
  private final Optional<String> appRoot;

  JibPathConflicts(ContainerBuildPlan plan) {
    for (LayerObject layer : plan.getLayers()) {
      if (layer instanceof FileEntriesLayer files) {
        entries.addAll(files.getEntries());
      }
    }
    this.appRoot = appRoot(plan.getEntrypoint());
  }

  /** Why pierdat cannot put a file at {@code path} (named {@code what} in the message), or empty. */
  Optional<String> problem(String what, String path) {
    if (appRoot.isPresent() && (path.equals(appRoot.get()) || path.startsWith(appRoot.get() + "/"))) {
      return Optional.of(what + ": path " + path + " is inside " + appRoot.get() + ", Jib's application root"
          + " (<container><appRoot>), which Jib's own layers fill; choose a path outside it, such as /data"
          + path.substring(path.lastIndexOf('/')));
    }
    for (FileEntry entry : entries) {
      String jibPath = entry.getExtractionPath().toString();
      boolean directory = Files.isDirectory(entry.getSourceFile());
      boolean clash = path.equals(jibPath)
          || jibPath.startsWith(path + "/")
          || (!directory && ImagePaths.overlap(path, jibPath));
      if (clash) {
        return Optional.of(what + ": path " + path + " collides with " + jibPath + " that Jib's own layers put in"
            + " the image (the same path, or one inside the other); choose another path");
      }
    }
    return Optional.empty();
  }

  /** The directory of {@code @<root>/jib-classpath-file} in Jib's entrypoint, if it has one. */
  private static Optional<String> appRoot(List<String> entrypoint) {
    if (entrypoint == null) {
      return Optional.empty();
    }
    for (String argument : entrypoint) {
      if (argument.startsWith("@/") && argument.endsWith(CLASSPATH_FILE)) {
        String root = argument.substring(1, argument.length() - CLASSPATH_FILE.length());
        return root.isEmpty() ? Optional.empty() : Optional.of(root);
      }
    }
    return Optional.empty();
  }
}
