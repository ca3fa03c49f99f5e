package dev.depthprobe.udfs;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Spark accumulators of one job: images done, images failed, milliseconds spent in the model, and models
 * built by executors (one per executor and device, more where the model cache evicted and rebuilt one).
 * Registered on the driver, passed to the executor functions, read by the driver's progress log.
 * Spark merges an update once per successful task, so retried tasks are not counted twice.
 */
public final class ImageCounters implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LongAccumulator ok;
  private final LongAccumulator failed;
  private final LongAccumulator modelMillis;
  private final LongAccumulator modelsBuilt;

  private ImageCounters(LongAccumulator ok, LongAccumulator failed, LongAccumulator modelMillis,
      LongAccumulator modelsBuilt) {
    this.ok = ok;
    this.failed = failed;
    this.modelMillis = modelMillis;
    this.modelsBuilt = modelsBuilt;
  }

  /** On the driver: registers the four accumulators, named {@code <job>.images.ok} and so on. */
  public static ImageCounters register(SparkContext sc, String job) {
    return new ImageCounters(sc.longAccumulator(job + ".images.ok"), sc.longAccumulator(job + ".images.failed"),
        sc.longAccumulator(job + ".model.ms"), sc.longAccumulator(job + ".models.built"));
  }

  public void addOk(long n) {
    ok.add(n);
  }

  public void addFailed(long n) {
    failed.add(n);
  }

  public void addModelMillis(long ms) {
    modelMillis.add(ms);
  }

  /** One more model built by an executor. */
  public void addModelBuilt() {
    modelsBuilt.add(1);
  }

  /** Models the executors built in this job: one per executor and device unless the model cache evicted one. */
  public long modelsBuilt() {
    return modelsBuilt.value();
  }

  public long ok() {
    return ok.value();
  }

  public long failed() {
    return failed.value();
  }

  public long modelMillis() {
    return modelMillis.value();
  }
}
