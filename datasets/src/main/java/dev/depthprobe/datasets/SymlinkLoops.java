package dev.depthprobe.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;

/**
 * A local input folder whose symbolic links lead back into it, found on the driver before Spark lists it. Spark's
 * listing follows links, so it would walk such a loop until the system refuses the path, once for every link at
 * every level: one link back repeats each image about 40 times, two make 2^40 paths and the job lists for ever.
 * Links elsewhere (a folder of links into a shared store) are followed as Spark follows them. Folders Spark's
 * listing skips (names starting with {@code .} or {@code _}) are skipped here too.
 */
final class SymlinkLoops {
  private SymlinkLoops() {}

  /** Throws an {@link IllegalArgumentException} naming the first link that loops; other file systems pass. */
  static void refuse(DatasetRoot root) {
    java.net.URI uri = new org.apache.hadoop.fs.Path(root.prefix()).toUri();
    if (!"file".equals(uri.getScheme())) {
      return;
    }
    Path folder = Paths.get(uri);
    if (!Files.isDirectory(folder)) {
      return;
    }
    try {
      Files.walkFileTree(folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
              String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
              boolean skipped = !dir.equals(folder) && (name.startsWith(".") || name.startsWith("_"));
              return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              if (e instanceof FileSystemLoopException) {
                throw new IllegalArgumentException(file + " is a symbolic link to a folder that holds it: Spark's "
                    + "listing would follow the loop without end");
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(folder + ": cannot list the folder", e);
    }
  }
}
