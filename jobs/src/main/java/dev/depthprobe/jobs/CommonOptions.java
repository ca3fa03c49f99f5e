package dev.depthprobe.jobs;

import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.device.DeviceChoice;
import dev.depthprobe.udfs.device.DeviceEnvironment;
import dev.depthprobe.udfs.device.DeviceUnavailableException;
import dev.depthprobe.udfs.distribution.ModelDistribution;
import java.util.Map;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Option;

/** Options every command takes (a picocli mixin). */
public final class CommonOptions {
  @Option(names = "--stacktrace", description = "Print the full stack trace of a failure.")
  public boolean stacktrace;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads per model forward pass (default: the cores of the machine or executor "
          + "divided by the tasks running at once).")
  public Integer threads;

  @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "auto",
      description = "Where the model runs: gpu (needs the gpu build and GPUs for the executors), cpu, or "
          + "auto: gpu when both are there, else cpu (default: ${DEFAULT-VALUE}).")
  public Device device = Device.AUTO;

  @Option(names = "--model-distribution", paramLabel = "auto|broadcast|path", defaultValue = "auto",
      description = "How executors get a checkpoint's weights: broadcast from the driver, or read from a path "
          + "every executor sees (HDFS, S3, a shared mount); auto: path for weights over 1 GiB or a checkpoint "
          + "that is not on the driver's disk, else broadcast (default: ${DEFAULT-VALUE}).")
  public ModelDistribution modelDistribution = ModelDistribution.AUTO;

  /**
   * {@code --device} as CPU or GPU, checked against the classpath and the Spark settings the session
   * will get: {@code spark.*} system properties (spark-submit's {@code --conf} and
   * {@code --properties-file}) overridden by {@code sparkSettings} ({@code -C}). A request that cannot be
   * met is a one-line {@link UserException}.
   */
  public Device resolveDevice(Map<String, String> sparkSettings) {
    SparkConf conf = new SparkConf();
    sparkSettings.forEach(conf::set);
    try {
      return DeviceChoice.resolve(device, DeviceEnvironment.detect(conf));
    } catch (DeviceUnavailableException e) {
      throw new UserException(e.getMessage());
    }
  }
}
