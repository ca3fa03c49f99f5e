package dev.depthprobe.udfs;

import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.partition.ImageLimits;
import dev.depthprobe.udfs.partition.TaskSettings;
import java.io.Serializable;

/**
 * What the depth partition function needs besides the model, resolved on the driver; only
 * primitives, strings and an enum, so it travels with every task for free.
 *
 * @param batchSize at most this many images (of one processed size) per forward pass
 * @param originalSize depth at the original image size (bicubic post-processing) or at the model's
 * @param maxModelPixels with more processed pixels the image is first shrunk to fit (0: no limit)
 * @param kbCrop the model sees the KB crop of each image (bottom 352 rows, middle 1216 columns)
 * @param threads ND4J threads per task, or {@code null} for the executor's fair share
 * @param device CPU or GPU, resolved on the driver
 * @param limits what one image may take: its header's pixels, admission's memory and seconds
 */
public record DepthTaskSettings(int batchSize, boolean originalSize, boolean kbCrop, long maxModelPixels,
    Integer threads, Device device, ImageLimits limits) implements Serializable {

  public DepthTaskSettings {
    task(batchSize, threads, device, limits);
  }

  /** The settings every image job shares. */
  public TaskSettings task() {
    return task(batchSize, threads, device, limits);
  }

  private static TaskSettings task(int batchSize, Integer threads, Device device, ImageLimits limits) {
    return new TaskSettings(batchSize, threads, device, limits);
  }
}
