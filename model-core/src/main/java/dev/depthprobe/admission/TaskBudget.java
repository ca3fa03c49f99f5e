package dev.depthprobe.admission;

import java.util.Locale;

/**
 * What one task may use for one batch: its share of the executor's free heap and native memory (each divided by the
 * tasks that run at once), or, with {@code --max-task-memory}, one total for both; and {@code --max-image-seconds}.
 * A plain value: the driver computes it and executors receive it as primitives. {@link Long#MAX_VALUE} means no limit.
 */
public record TaskBudget(long heapBytes, long nativeBytes, long totalBytes, double maxImageSeconds, String origin) {
  /** {@code --max-image-seconds}'s default: half an hour, so that large photos are not quietly refused. */
  public static final double DEFAULT_MAX_IMAGE_SECONDS = 1800;

  public TaskBudget {
    if (heapBytes < 0 || nativeBytes < 0 || totalBytes < 0 || !(maxImageSeconds > 0)) {
      throw new IllegalArgumentException("a task budget needs non-negative bytes and positive seconds");
    }
  }

  /**
   * The budget of each of {@code concurrentTasks} tasks: {@code maxTaskMemoryBytes} (0 when not given) in all, or
   * else each task's share of {@code limits}' free heap and native memory.
   */
  public static TaskBudget divide(MemoryLimits limits, int concurrentTasks, long maxTaskMemoryBytes, double maxImageSeconds) {
    if (concurrentTasks < 1 || maxTaskMemoryBytes < 0) {
      throw new IllegalArgumentException("need at least one task and a non-negative --max-task-memory");
    }
    if (maxTaskMemoryBytes > 0) {
      return new TaskBudget(Long.MAX_VALUE, Long.MAX_VALUE, maxTaskMemoryBytes, maxImageSeconds, "--max-task-memory");
    }
    long nativeAvailable = limits.nativeAvailable();
    String nativeOrigin = limits.nativeFromOverhead() ? "spark.executor.memoryOverhead" : "JavaCPP maxbytes";
    return new TaskBudget(limits.heapAvailable() / concurrentTasks,
        nativeAvailable == Long.MAX_VALUE ? Long.MAX_VALUE : nativeAvailable / concurrentTasks, Long.MAX_VALUE,
        maxImageSeconds, String.format(Locale.ROOT, "free heap and %s over %d task%s", nativeOrigin, concurrentTasks,
            concurrentTasks == 1 ? "" : "s"));
  }

  /**
   * Admitted when the estimate fits every limit; otherwise a refusal of kind {@code resource} naming the need, the
   * budget and the way out.
   */
  public Admission admit(String image, ResourceEstimate need) {
    boolean memory = need.heapBytes() > heapBytes || need.nativeBytes() > nativeBytes || need.totalBytes() > totalBytes;
    if (memory) {
      return Admission.refused(String.format(Locale.ROOT,
          "%s needs about %s (heap %s, native %s) but the task's budget is %s (%s); use --max-model-pixels N to "
              + "downscale large images, give executors more memory (spark.executor.memory, "
              + "spark.executor.memoryOverhead) or raise --max-task-memory",
          image, ResourceEstimate.bytes(need.totalBytes()), ResourceEstimate.bytes(need.heapBytes()),
          ResourceEstimate.bytes(need.nativeBytes()), describeMemory(), origin));
    }
    if (need.seconds() > maxImageSeconds) {
      return Admission.refused(String.format(Locale.ROOT,
          "%s needs about %.0f s (%.0f GFLOP) but --max-image-seconds is %.0f; use --max-model-pixels N to "
              + "downscale large images or raise --max-image-seconds",
          image, need.seconds(), need.flops().gflop(), maxImageSeconds));
    }
    return Admission.ADMITTED;
  }

  private String describeMemory() {
    if (totalBytes != Long.MAX_VALUE) {
      return ResourceEstimate.bytes(totalBytes) + " in all";
    }
    return "heap " + ResourceEstimate.bytes(heapBytes) + ", native " + ResourceEstimate.bytes(nativeBytes);
  }
}
