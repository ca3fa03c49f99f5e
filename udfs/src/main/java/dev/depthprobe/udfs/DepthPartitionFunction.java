package dev.depthprobe.udfs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.glpn.DepthEstimator;
import dev.depthprobe.glpn.GlpnConfig;
import dev.depthprobe.glpn.GlpnForDepthEstimation;
import dev.depthprobe.glpn.GlpnImageProcessor;
import dev.depthprobe.udfs.device.TaskDevice;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * GLPN depth on executors: one output row ({@link DepthRows#SCHEMA}) per input row of the input schema.
 * The function captures only the model source (a broadcast and strings), the settings (primitives),
 * the PNG target and the accumulators; the model itself comes from the JVM-wide {@link ModelCache},
 * built once per executor from the model source on first use.
 */
public final class DepthPartitionFunction {
  /** Test only: the first attempt of partition 0 fails after one row (see {@link DepthTaskSettings}). */
  public static final String FAIL_FIRST_ATTEMPT = "spark.depthprobe.test.failFirstAttempt";

  private DepthPartitionFunction() {}

  /**
   * @param pngFiles where executors write each image's PNGs, or {@code null} for none
   */
  public static MapPartitionsFunction<Row, Row> depthRows(ModelSource model, DepthTaskSettings settings,
      DepthPngFiles pngFiles, ImageCounters counters) {
    String cacheKey = cacheKey(model.key(), model.preprocessorConfig());
    String label = model.label();
    return rows -> {
      if (!rows.hasNext()) {
        return Collections.emptyIterator();
      }
      String deviceLabel = setUpTask(settings);
      DepthEstimator estimator = ModelCache.getOrLoad(TaskDevice.cacheKey(cacheKey, deviceLabel), () -> build(model));
      TaskContext task = TaskContext.get();
      boolean failThisAttempt = settings.failFirstAttempt() && task.partitionId() == 0 && task.attemptNumber() == 0;
      return new DepthRowIterator(rows, estimator, label, settings, pngFiles, counters, failThisAttempt);
    };
  }

  /**
   * The model cache key of a depth estimator (before {@link TaskDevice#cacheKey} adds the device): the
   * checkpoint's content hash covers {@code config.json} and the weights but not
   * {@code preprocessor_config.json}, which the estimator also depends on.
   */
  public static String cacheKey(String contentHash, JsonNode preprocessorConfig) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(preprocessorConfig.toString().getBytes(StandardCharsets.UTF_8));
      return "glpn-depth:" + contentHash + ":" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
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
