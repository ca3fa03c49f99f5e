package dev.depthprobe.udfs;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.glpn.DepthEstimator;
import dev.depthprobe.model.DepthMap;
import dev.depthprobe.glpn.GlpnConfig;
import dev.depthprobe.glpn.GlpnForDepthEstimation;
import dev.depthprobe.glpn.GlpnImageProcessor;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.device.DeviceBatchQueue;
import dev.depthprobe.udfs.device.TaskDevice;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * GLPN depth on executors: one output row ({@link DepthRows#SCHEMA}) per input row of the input schema.
 * The function captures only the model source (a broadcast and strings), the settings (primitives),
 * the PNG target and the accumulators; the model itself comes from the JVM-wide {@link ModelCache},
 * built once per executor and device from the model source on first use. On a GPU the tasks sharing
 * the device submit their batches to one {@link DeviceBatchQueue}, which merges them into full batches.
 */
public final class DepthPartitionFunction {
  /** Test only: the first attempt of partition 0 fails after one row (see {@link DepthTaskSettings}). */
  public static final String FAIL_FIRST_ATTEMPT = "spark.depthprobe.test.failFirstAttempt";
  /** How long a part-filled batch waits in the queue for other tasks' images of its size. */
  private static final Duration QUEUE_WAIT = Duration.ofMillis(50);

  private DepthPartitionFunction() {}

  /**
   * @param pngFiles where executors write each image's PNGs, or {@code null} for none
   */
  public static MapPartitionsFunction<Row, Row> depthRows(ModelSource model, DepthTaskSettings settings,
      DepthPngFiles pngFiles, ImageCounters counters) {
    return depthRows(model, settings, pngFiles, counters, settings.device() == Device.GPU);
  }

  /** {@link #depthRows}, with the device's batch queue or without it; tests take the queue on the CPU. */
  static MapPartitionsFunction<Row, Row> depthRows(ModelSource model, DepthTaskSettings settings,
      DepthPngFiles pngFiles, ImageCounters counters, boolean batchQueue) {
    String label = model.label();
    return rows -> {
      if (!rows.hasNext()) {
        return Collections.emptyIterator();
      }
      String deviceLabel = setUpTask(settings);
      String cacheKey = TaskDevice.cacheKey(model.key(), deviceLabel);
      DepthEstimator estimator = ModelCache.getOrLoad(cacheKey, () -> build(model));
      Function<List<RgbImage>, List<DepthMap>> runBatch = batchQueue
          ? queue(cacheKey, deviceLabel, estimator, settings)::runAll
          : images -> estimator.estimate(images, settings.originalSize());
      TaskContext task = TaskContext.get();
      boolean failThisAttempt = settings.failFirstAttempt() && task.partitionId() == 0 && task.attemptNumber() == 0;
      return new DepthRowIterator(rows, estimator, runBatch, label, settings, pngFiles, counters, failThisAttempt);
    };
  }

  /**
   * The executor's batch queue of one device, model and batch settings, made on first use: it runs
   * batches of up to {@code batchSize} images of one processed size on a thread pinned to the device.
   */
  private static DeviceBatchQueue<RgbImage, DepthMap> queue(String cacheKey, String deviceLabel,
      DepthEstimator estimator, DepthTaskSettings settings) {
    String queueKey = cacheKey + "#queue:" + settings.batchSize() + ":" + settings.originalSize();
    return ModelCache.getOrLoad(queueKey, () -> new DeviceBatchQueue<>(deviceLabel, settings.batchSize(), QUEUE_WAIT,
        image -> ProcessedSize.of(estimator, image), images -> estimator.estimate(images, settings.originalSize())));
  }

  /**
   * What each task sets up on its thread before it uses the model: the thread pinned to the task's
   * device, and ND4J's threads. Returns the device label ({@code cpu}, {@code gpu0}, ...).
   */
  private static String setUpTask(DepthTaskSettings settings) {
    String deviceLabel = TaskDevice.pin(settings.device(), TaskContext.get().resourcesJMap());
    TaskThreads.use(TaskThreads.forCurrentTask(settings.threads()));
    return deviceLabel;
  }

  /** Builds the model from the source's config and weights (reading the broadcast, on first use only). */
  static DepthEstimator build(ModelSource model) {
    StateDict weights = model.weights();
    return new DepthEstimator(GlpnImageProcessor.fromConfig(model.preprocessorConfig()),
        GlpnForDepthEstimation.fromStateDict(GlpnConfig.fromJson(model.config()), weights));
  }
}
