package dev.depthprobe.udfs.distribution;

import java.util.Locale;

/** How executors get a checkpoint's weights: {@code --model-distribution broadcast|path|auto}. */
public enum ModelDistribution {
  /** {@link #PATH} when the weights exceed {@link DistributionChoice#BROADCAST_LIMIT_BYTES} or are not on the driver's disk. */
  AUTO,
  /** The driver reads the weights once and Spark broadcasts them. */
  BROADCAST,
  /** Each executor reads the checkpoint from a path all of them see (HDFS, S3, a shared mount). */
  PATH;

  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
