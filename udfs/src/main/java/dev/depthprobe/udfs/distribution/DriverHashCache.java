package dev.depthprobe.udfs.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The driver's content hashes of checkpoints it has hashed in this JVM, so that a second job over the same
 * checkpoint does not read its weights again. Keyed by each file's path, size, modification time and, on
 * this machine's file system, file key (device and inode): a file rewritten or edited in place changes
 * the key. Where a hash is stale all the same (a modification time set back by hand), the executors
 * notice: they hash the files they load and refuse the model if it differs ({@link PathModelSource}).
 */
final class DriverHashCache {
  private static final Map<List<Object>, String> HASHES = new ConcurrentHashMap<>();

  private DriverHashCache() {}

  /** The hash of {@code files} of {@code dir}, from the cache while their stamps are unchanged. */
  static String hash(FileSystem fs, Path dir, List<String> files, Supplier<String> hasher) throws IOException {
    List<Object> stamps = new ArrayList<>();
    for (String name : files) {
      stamps.add(stamp(fs, new Path(dir, name)));
    }
    return HASHES.computeIfAbsent(List.copyOf(stamps), s -> hasher.get());
  }

  private static List<Object> stamp(FileSystem fs, Path file) throws IOException {
    if ("file".equals(fs.getUri().getScheme())) {
      BasicFileAttributes a = Files.readAttributes(Paths.get(file.toUri()), BasicFileAttributes.class);
      Object fileKey = a.fileKey() == null ? "" : a.fileKey();
      return List.of(file.toString(), a.size(), a.lastModifiedTime().toString(), fileKey);
    }
    FileStatus status = fs.getFileStatus(file);
    return List.of(file.toString(), status.getLen(), status.getModificationTime());
  }
}
