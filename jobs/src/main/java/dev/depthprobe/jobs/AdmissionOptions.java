package dev.depthprobe.jobs;

import dev.depthprobe.admission.TaskBudget;
import dev.depthprobe.udfs.partition.ImageLimits;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * {@code --max-task-memory} and {@code --max-image-seconds}: admission's budget, checked per image from its
 * header before decoding (a {@code resource} error row over it).
 */
final class AdmissionOptions {
  /** Spark's default memory overhead: 10% of the executor's memory, at least 384 MiB. */
  private static final long MIN_OVERHEAD_MIB = 384;

  @Option(names = "--max-task-memory", paramLabel = "SIZE")
  String maxTaskMemory;

  @Option(names = "--max-image-seconds", paramLabel = "S")
  double maxImageSeconds = TaskBudget.DEFAULT_MAX_IMAGE_SECONDS;

  void validate() {
    maxTaskMemoryBytes();
    if (!(maxImageSeconds > 0)) {
      throw new UserException("--max-image-seconds must be positive, got " + maxImageSeconds);
    }
  }

  /** The limits of one image for the executors, with the session's executor memory overhead. */
  ImageLimits limits(long maxImagePixels, SparkSession spark) {
    return new ImageLimits(maxImagePixels, maxTaskMemoryBytes(), maxImageSeconds, memoryOverheadBytes(spark));
  }

  private long maxTaskMemoryBytes() {
    if (maxTaskMemory == null) {
      return 0;
    }
    long bytes;
    try {
      bytes = JavaUtils.byteStringAsBytes(maxTaskMemory);
    } catch (RuntimeException e) {
      throw new UserException("--max-task-memory must be a size such as 512m or 6g, got '" + maxTaskMemory + "'");
    }
    if (bytes < 1) {
      throw new UserException("--max-task-memory must be positive, got '" + maxTaskMemory + "'");
    }
    return bytes;
  }

  /** {@code spark.executor.memoryOverhead} (MiB without a unit), else Spark's default for the executor's memory. */
  private static long memoryOverheadBytes(SparkSession spark) {
    var conf = spark.sparkContext().getConf();
    long mib = conf.contains("spark.executor.memoryOverhead")
        ? JavaUtils.byteStringAsMb(conf.get("spark.executor.memoryOverhead"))
        : Math.max(MIN_OVERHEAD_MIB, JavaUtils.byteStringAsMb(conf.get("spark.executor.memory", "1g")) / 10);
    return mib << 20;
  }
}
