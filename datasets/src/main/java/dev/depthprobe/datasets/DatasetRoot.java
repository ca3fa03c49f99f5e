package dev.depthprobe.datasets;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;

/**
 * The root of a dataset location, qualified as Hadoop and Spark's file sources print paths
 * ({@code file:/data/imgs}, {@code hdfs://nn:8020/data}), so that an image id is the file path
 * relative to it. For a glob the root is the folder before the first segment with a wildcard;
 * for a single file it is the file's folder. Resolved on the driver; only the prefix string
 * goes to executors.
 *
 * @param prefix the qualified root with a trailing slash
 * @param glob whether the location holds glob wildcards
 */
record DatasetRoot(String prefix, boolean glob) {
  private static final String GLOB_CHARS = "*?[]{}\\";

  static DatasetRoot resolve(SparkSession spark, String location) {
    boolean glob = location.chars().anyMatch(c -> GLOB_CHARS.indexOf(c) >= 0);
    Path path = new Path(glob ? globFreePrefix(location) : location);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Path root = fs.makeQualified(path);
      if (!glob && fs.isFile(root)) {
        root = root.getParent();
      }
      String text = root.toString();
      return new DatasetRoot(text.endsWith("/") ? text : text + "/", glob);
    } catch (IOException e) {
      throw new UncheckedIOException(location + ": cannot resolve the dataset root", e);
    }
  }

  /** {@code /data/imgs/2024-??/a*.jpg -> /data/imgs}: the segments before the first wildcard. */
  static String globFreePrefix(String location) {
    int firstWildcard = 0;
    while (GLOB_CHARS.indexOf(location.charAt(firstWildcard)) < 0) {
      firstWildcard++;
    }
    int slash = location.lastIndexOf('/', firstWildcard);
    if (slash < 0) {
      return ".";
    }
    return slash == 0 ? "/" : location.substring(0, slash);
  }

  /** The path relative to the root, or the path itself where it lies outside. */
  Column relativeId(Column path) {
    return when(path.startsWith(lit(prefix)), path.substr(prefix.length() + 1, Integer.MAX_VALUE))
        .otherwise(path);
  }

  /** {@link #relativeId} for executor code: a static function of the prefix string. */
  static String relativize(String prefix, String path) {
    return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
  }
}
