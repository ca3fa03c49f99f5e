package dev.depthprobe.udfs;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Spark accumulators of one job: images done, images failed, and milliseconds spent in the model.
 * Registered on the driver, passed to the executor functions, read by the driver's progress log.
 * Spark merges an update once per successful task, so retried tasks are not counted twice.
 */
public final class ImageCounters implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LongAccumulator ok;
  private final LongAccumulator failed;
  private final LongAccumulator modelMillis;

  private ImageCounters(LongAccumulator ok, LongAccumulator failed, LongAccumulator modelMillis) {
    this.ok = ok;
    this.failed = failed;
    this.modelMillis = modelMillis;
  }

  /** On the driver: registers the three accumulators, named {@code <job>.images.ok} and so on. */
  public static ImageCounters register(SparkContext sc, String job) {
    return new ImageCounters(sc.longAccumulator(job + ".images.ok"), sc.longAccumulator(job + ".images.failed"),
        sc.longAccumulator(job + ".model.ms"));
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
