package dev.depthprobe.udfs.partition;

import dev.depthprobe.admission.MemoryLimits;
import dev.depthprobe.admission.TaskBudget;
import java.io.Serializable;

/**
 * What one image may take, resolved on the driver (primitives only): the pixels its header may declare,
 * and admission's budget of memory and seconds.
 *
 * @param maxImagePixels images whose header declares more pixels are refused undecoded (a {@code decode} error)
 * @param maxTaskMemoryBytes {@code --max-task-memory}: one task's memory in all, or 0 for each task's share of
 *     its executor's free heap and native memory
 * @param maxImageSeconds {@code --max-image-seconds}: the longest an image's forward pass may be estimated to take
 * @param memoryOverheadBytes {@code spark.executor.memoryOverhead}: the native budget where JavaCPP's limits are unset
 */
public record ImageLimits(long maxImagePixels, long maxTaskMemoryBytes, double maxImageSeconds,
    long memoryOverheadBytes) implements Serializable {

  public ImageLimits {
    if (maxImagePixels < 1 || maxTaskMemoryBytes < 0 || !(maxImageSeconds > 0) || memoryOverheadBytes < 0) {
      throw new IllegalArgumentException("image limits need positive pixels and seconds, non-negative bytes");
    }
  }

  /** The pixel limit, with admission's defaults: each task's share of memory, {@code --max-image-seconds} 1800. */
  public static ImageLimits ofPixels(long maxImagePixels) {
    return new ImageLimits(maxImagePixels, 0, TaskBudget.DEFAULT_MAX_IMAGE_SECONDS, 0);
  }

  /** On an executor: this task's budget, its JVM's memory now shared by the {@code concurrentTasks} running at once. */
  TaskBudget budget(int concurrentTasks) {
    return TaskBudget.divide(MemoryLimits.ofThisJvm(memoryOverheadBytes), concurrentTasks, maxTaskMemoryBytes,
        maxImageSeconds);
  }
}
