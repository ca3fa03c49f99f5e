package dev.depthprobe.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The empty (0-byte) files of a {@code binaryFile} location, which Spark's file scan skips: listed on
 * the driver through Hadoop's {@link FileSystem} (paths only, no bytes) as Spark lists the location:
 * the files matching the path or glob, and the files under matching folders, recursively, leaving out
 * entries below them whose names start with {@code _} or {@code .}.
 */
final class EmptyFiles {
  /** Columns as the {@code binaryFile} source names them. */
  static final StructType SCHEMA = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("content", DataTypes.BinaryType, false);
  private static final byte[] NO_BYTES = new byte[0];

  private EmptyFiles() {}

  /** One row per empty file: its qualified path and empty content. */
  static Dataset<Row> read(SparkSession spark, String location) {
    List<Row> rows = new ArrayList<>();
    for (String path : paths(spark, location)) {
      rows.add(RowFactory.create(path, NO_BYTES));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  static List<String> paths(SparkSession spark, String location) {
    Path pattern = new Path(location);
    List<String> paths = new ArrayList<>();
    try {
      FileSystem fs = pattern.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] matches = fs.globStatus(fs.makeQualified(pattern));
      if (matches == null) {
        return paths;
      }
      for (FileStatus match : matches) {
        if (match.isDirectory()) {
          for (FileStatus child : fs.listStatus(match.getPath())) {
            collect(fs, child, paths);
          }
        } else if (match.getLen() == 0) {
          paths.add(match.getPath().toString());
        }
      }
      return paths;
    } catch (IOException e) {
      throw new UncheckedIOException(location + ": cannot list the empty files", e);
    }
  }

  private static void collect(FileSystem fs, FileStatus status, List<String> paths) throws IOException {
    String name = status.getPath().getName();
    if (name.startsWith("_") || name.startsWith(".")) {
      return;
    }
    if (status.isDirectory()) {
      for (FileStatus child : fs.listStatus(status.getPath())) {
        collect(fs, child, paths);
      }
    } else if (status.getLen() == 0) {
      paths.add(status.getPath().toString());
    }
  }
}
