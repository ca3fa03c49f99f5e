package dev.depthprobe.udfs.partition;

import dev.depthprobe.udfs.device.Device;
import java.io.Serializable;

/**
 * What the partition skeleton needs besides the model and the job, resolved on the driver; only
 * primitives and an enum, so it travels with every task for free.
 *
 * @param batchSize at most this many images (of one processed size) per forward pass
 * @param threads ND4J threads per task, or {@code null} for the executor's fair share
 * @param device CPU or GPU, resolved on the driver
 * @param limits what one image may take: its header's pixels, admission's memory and seconds
 */
public record TaskSettings(int batchSize, Integer threads, Device device, ImageLimits limits) implements Serializable {
  public TaskSettings {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
  }
}
