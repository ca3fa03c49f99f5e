package dev.depthprobe.datasets;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Recognises a folder laid out as class folders ({@code ROOT/<class>/<image>}): no image directly in the
 * root, at least two visible sub-folders, each holding image files and no further folder. Reads two
 * levels of listings only (skipped beyond {@link #MAX_FOLDERS} sub-folders). Driver-only.
 */
public final class ClassFolderLayout {
  static final int MAX_FOLDERS = 1000;

  /** What was found: the sub-folders, sorted, and the images they hold. */
  public record Found(List<String> folders, long images) {}

  private ClassFolderLayout() {}

  /** The class-folder layout of {@code root}, or empty when it is not one (or not a folder, or a glob). */
  public static Optional<Found> detect(Configuration conf, String root) throws IOException {
    Path path = new Path(root);
    FileSystem fs = path.getFileSystem(conf);
    FileStatus[] children;
    try {
      if (!fs.getFileStatus(path).isDirectory()) {
        return Optional.empty();
      }
      children = fs.listStatus(path);
    } catch (FileNotFoundException e) {
      return Optional.empty(); // a glob, or nothing there: the reader says so
    }
    List<String> folders = new ArrayList<>();
    long images = 0;
    for (FileStatus child : children) {
      String name = child.getPath().getName();
      if (name.startsWith(".") || name.startsWith("_")) {
        continue;
      }
      if (!child.isDirectory()) {
        if (isImage(name)) {
          return Optional.empty();
        }
        continue;
      }
      if (folders.size() == MAX_FOLDERS) {
        return Optional.empty();
      }
      long inFolder = 0;
      for (FileStatus entry : fs.listStatus(child.getPath())) {
        String entryName = entry.getPath().getName();
        if (entryName.startsWith(".")) {
          continue;
        }
        if (entry.isDirectory()) {
          return Optional.empty();
        }
        inFolder += isImage(entryName) ? 1 : 0;
      }
      if (inFolder == 0) {
        return Optional.empty();
      }
      folders.add(name);
      images += inFolder;
    }
    if (folders.size() < 2) {
      return Optional.empty();
    }
    folders.sort(null);
    return Optional.of(new Found(List.copyOf(folders), images));
  }

  private static boolean isImage(String name) {
    int dot = name.lastIndexOf('.');
    return dot >= 0 && ImagePaths.IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
