package dev.depthprobe.datasets;

import dev.depthprobe.image.ImageLoader;
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
 * The files of a {@code binaryFile} location that its scan leaves out: the empty (0-byte) ones, which Spark's
 * scan skips, and those over the file limit, which {@link ImageFilesReader}'s scan filters out unread. Listed on
 * the driver through Hadoop's {@link FileSystem} (paths and lengths only, no bytes) as Spark lists the location:
 * the files matching the path or glob, and the files under matching folders, recursively, leaving out entries
 * below them whose names start with {@code _} or {@code .}.
 */
final class UnscannedFiles {
  /** Columns as the {@code binaryFile} source names them, and why a file was not read. */
  static final StructType SCHEMA = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("content", DataTypes.BinaryType, true)
      .add(InputSchema.READ_ERROR, DataTypes.StringType, true);
  private static final byte[] NO_BYTES = new byte[0];

  private UnscannedFiles() {}

  /**
   * One row per left-out file: its qualified path, and empty content (an empty file) or null content and why (a
   * file over {@link ImageLoader#maxFileBytes} of {@code maxImagePixels}).
   */
  static Dataset<Row> read(SparkSession spark, String location, long maxImagePixels) {
    List<Row> rows = new ArrayList<>();
    for (FileStatus file : files(spark, location, ImageLoader.maxFileBytes(maxImagePixels))) {
      long length = file.getLen();
      rows.add(length == 0 ? RowFactory.create(file.getPath().toString(), NO_BYTES, null)
          : RowFactory.create(file.getPath().toString(), null, ImageLoader.tooLargeToRead(length, maxImagePixels)));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static List<FileStatus> files(SparkSession spark, String location, long maxFileBytes) {
    Path pattern = new Path(location);
    List<FileStatus> files = new ArrayList<>();
    try {
      FileSystem fs = pattern.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] matches = fs.globStatus(fs.makeQualified(pattern));
      if (matches == null) {
        return files;
      }
      for (FileStatus match : matches) {
        if (match.isDirectory()) {
          for (FileStatus child : fs.listStatus(match.getPath())) {
            collect(fs, child, maxFileBytes, files);
          }
        } else if (leftOut(match, maxFileBytes)) {
          files.add(match);
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(location + ": cannot list the files", e);
    }
  }

  private static void collect(FileSystem fs, FileStatus status, long maxFileBytes, List<FileStatus> files)
      throws IOException {
    String name = status.getPath().getName();
    if (name.startsWith("_") || name.startsWith(".")) {
      return;
    }
    if (status.isDirectory()) {
      for (FileStatus child : fs.listStatus(status.getPath())) {
        collect(fs, child, maxFileBytes, files);
      }
    } else if (leftOut(status, maxFileBytes)) {
      files.add(status);
    }
  }

  private static boolean leftOut(FileStatus file, long maxFileBytes) {
    return file.getLen() == 0 || file.getLen() > maxFileBytes;
  }
}
