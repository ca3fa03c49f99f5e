package dev.depthprobe.udfs;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.bytedeco.javacpp.Pointer;

/**
 * How much the executor's {@link ModelCache} may hold, from the Spark conf:
 * {@code spark.depthprobe.modelCache.maxModels} (default 2: a depth and a feature model, or one model on
 * two devices) and {@code spark.depthprobe.modelCache.maxBytes} (weight bytes; default half of JavaCPP's
 * off-heap limit {@code maxBytes}, where ND4J keeps the weights).
 */
public record ModelCacheLimits(int maxModels, long maxBytes) {
  public static final String MAX_MODELS = "spark.depthprobe.modelCache.maxModels";
  public static final String MAX_BYTES = "spark.depthprobe.modelCache.maxBytes";
  static final int DEFAULT_MAX_MODELS = 2;

  public ModelCacheLimits {
    if (maxModels < 1) {
      throw new IllegalArgumentException(MAX_MODELS + " must be at least 1, not " + maxModels);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException(MAX_BYTES + " must be positive, not " + maxBytes);
    }
  }

  /** The limits of this executor's Spark conf, or the defaults outside Spark. */
  static ModelCacheLimits current() {
    SparkEnv env = SparkEnv.get();
    return env == null ? defaults() : of(env.conf());
  }

  static ModelCacheLimits of(SparkConf conf) {
    return new ModelCacheLimits(conf.getInt(MAX_MODELS, DEFAULT_MAX_MODELS),
        conf.getSizeAsBytes(MAX_BYTES, String.valueOf(defaultMaxBytes())));
  }

  static ModelCacheLimits defaults() {
    return new ModelCacheLimits(DEFAULT_MAX_MODELS, defaultMaxBytes());
  }

  private static long defaultMaxBytes() {
    long offHeap = Pointer.maxBytes();
    return offHeap > 0 ? offHeap / 2 : Runtime.getRuntime().maxMemory() / 2;
  }
}
