package dev.depthprobe.udfs.distribution;

import dev.depthprobe.checkpoint.CheckpointException;

/** Driver side: turns {@code --model-distribution} into BROADCAST or PATH for one checkpoint. */
public final class DistributionChoice {
  /**
   * Above this size {@code auto} reads weights on the executors: a broadcast holds the weights on the
   * driver and ships them through the block manager, and imagegpt-medium (~1.8 GB in float32) or
   * -large (~5.4 GB) would need that much more driver memory.
   */
  public static final long BROADCAST_LIMIT_BYTES = 1L << 30;
  /** A broadcast carries the weights as one byte array. */
  static final long BROADCAST_MAX_BYTES = Integer.MAX_VALUE - 8;

  private DistributionChoice() {}

  /**
   * @param location the {@code --model} argument, for messages
   * @param weightBytes the size of the weight files
   * @param onDriverDisk whether the checkpoint is a local folder the driver can read directly
   * @param localMaster whether the executors run in the driver's JVM (Spark's local mode): they read the folder in
   *     place, where a broadcast would serialise the weights and deserialise them again for nothing
   */
  public static ModelDistribution resolve(ModelDistribution requested, String location, long weightBytes,
      boolean onDriverDisk, boolean localMaster) {
    return switch (requested) {
      case PATH -> ModelDistribution.PATH;
      case AUTO -> onDriverDisk && weightBytes <= BROADCAST_LIMIT_BYTES && !localMaster ? ModelDistribution.BROADCAST
          : ModelDistribution.PATH;
      case BROADCAST -> {
        if (!onDriverDisk) {
          throw new CheckpointException(location + ": --model-distribution broadcast needs a checkpoint folder on the "
              + "driver's disk; use --model-distribution path for a Hadoop file system URI");
        }
        if (weightBytes > BROADCAST_MAX_BYTES) {
          throw new CheckpointException(location + ": weights of " + mib(weightBytes) + " MiB do not fit a broadcast "
              + "(at most 2 GiB); use --model-distribution path");
        }
        yield ModelDistribution.BROADCAST;
      }
    };
  }

  static long mib(long bytes) {
    return bytes >> 20;
  }
}
