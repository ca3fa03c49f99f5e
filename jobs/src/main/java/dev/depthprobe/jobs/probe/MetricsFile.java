package dev.depthprobe.jobs.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Writes {@code metrics.json} into an output folder on any Hadoop file system (local, HDFS, S3). */
public final class MetricsFile {
  public static final String NAME = "metrics.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private MetricsFile() {}

  /** Writes {@code metrics} as indented JSON to {@code dir/metrics.json}, replacing an older one. */
  public static void write(SparkSession spark, String dir, JsonNode metrics) throws IOException {
    Path file = new Path(dir, NAME);
    FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
    try (OutputStream out = fs.create(file, true)) {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out, metrics);
    }
  }
}
