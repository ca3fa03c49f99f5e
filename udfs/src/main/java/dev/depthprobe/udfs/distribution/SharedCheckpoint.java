package dev.depthprobe.udfs.distribution;

import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.CheckpointLocation;
import dev.depthprobe.errors.Messages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A checkpoint folder seen through Hadoop's {@link FileSystem}, resolved by model-core's one
 * {@link CheckpointLocation} (plain folder, {@code models--ORG--NAME} cache folder through
 * {@code refs/main}, or one of its snapshots; the same weight files in the same order), so its name
 * and content hash are {@code Checkpoint}'s.
 */
final class SharedCheckpoint {
  private final HadoopFolder dir;
  private final CheckpointLocation location;
  private final String configJson;
  private final String preprocessorConfigJson;
  private final List<String> weightFiles;
  private final long[] weightLengths;

  private SharedCheckpoint(CheckpointLocation location) {
    this.location = location;
    this.dir = (HadoopFolder) location.dir();
    this.configJson = location.configJson();
    this.preprocessorConfigJson = location.preprocessorConfigJson();
    this.weightFiles = location.weightFiles();
    this.weightLengths = weightFiles.stream().mapToLong(dir::length).toArray();
  }

  /** Finds the folder, reads both configs and lists the weight files; reads no weights. */
  static SharedCheckpoint open(String location, Configuration conf) {
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(conf);
      return new SharedCheckpoint(CheckpointLocation.resolve(new HadoopFolder(fs, fs.makeQualified(path), location)));
    } catch (IOException e) {
      throw new CheckpointException(location + ": cannot read (" + Messages.oneLine(e) + ")", e);
    }
  }

  /** The folder holding the files, fully qualified ({@code scheme://authority/path}). */
  Path dir() {
    return dir.path();
  }

  String displayName() {
    return location.displayName();
  }

  String configJson() {
    return configJson;
  }

  String preprocessorConfigJson() {
    return preprocessorConfigJson;
  }

  /** The weight file's name, or the index's followed by its shards' in the order the index names them. */
  List<String> weightFiles() {
    return weightFiles;
  }

  /** Each weight file's length, in the order of {@link #weightFiles()}. */
  long[] weightLengths() {
    return weightLengths.clone();
  }

  long weightBytes() {
    long sum = 0;
    for (long length : weightLengths) {
      sum += length;
    }
    return sum;
  }

  /** Whether the folder is on this machine's file system, so no copy is needed to open it. */
  boolean isLocal() {
    return "file".equals(dir.fs().getUri().getScheme());
  }

  /**
   * {@code ContentHash} of the files, streamed through the file system: {@code Checkpoint.contentHash()};
   * read again only where a file's size, modification time or file key changed since this JVM hashed it.
   */
  String contentHash() {
    List<String> files = new ArrayList<>(List.of(CheckpointLocation.CONFIG, CheckpointLocation.PREPROCESSOR_CONFIG));
    files.addAll(weightFiles);
    try {
      return DriverHashCache.hash(dir.fs(), dir.path(), files, location::contentHash);
    } catch (IOException e) {
      throw new CheckpointException(dir + ": cannot read (" + Messages.oneLine(e) + ")", e);
    }
  }
}
