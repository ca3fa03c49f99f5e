package dev.depthprobe.udfs;

import dev.depthprobe.udfs.partition.ErrorKind;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Spark accumulators of one job: images done, images failed by {@link ErrorKind}, milliseconds spent in
 * the model, and models built by executors (one per executor and device, more where the model cache evicted
 * and rebuilt one). Registered on the driver, passed to the executor functions, read by the driver's
 * progress log and, once the rows are written, its summary. The partition functions run in the write's
 * result stage, where Spark merges a task's updates once, from its successful attempt only: the counts of a
 * written run are its images, whatever attempts failed, were retried or ran speculatively.
 */
public final class ImageCounters implements Serializable {
  private static final long serialVersionUID = 2L;

  private final LongAccumulator ok;
  private final EnumMap<ErrorKind, LongAccumulator> failed;
  private final LongAccumulator modelMillis;
  private final LongAccumulator modelsBuilt;

  private ImageCounters(LongAccumulator ok, EnumMap<ErrorKind, LongAccumulator> failed, LongAccumulator modelMillis,
      LongAccumulator modelsBuilt) {
    this.ok = ok;
    this.failed = failed;
    this.modelMillis = modelMillis;
    this.modelsBuilt = modelsBuilt;
  }

  /**
   * On the driver: registers the accumulators, named {@code <job>.images.ok}, {@code <job>.errors.<kind>}
   * (one per {@link ErrorKind}, e.g. {@code depth.errors.decode}), {@code <job>.model.ms} and
   * {@code <job>.models.built}.
   */
  public static ImageCounters register(SparkContext sc, String job) {
    EnumMap<ErrorKind, LongAccumulator> failed = new EnumMap<>(ErrorKind.class);
    for (ErrorKind kind : ErrorKind.values()) {
      failed.put(kind, sc.longAccumulator(job + ".errors." + kind.label()));
    }
    return new ImageCounters(sc.longAccumulator(job + ".images.ok"), failed, sc.longAccumulator(job + ".model.ms"),
        sc.longAccumulator(job + ".models.built"));
  }

  public void addOk(long n) {
    ok.add(n);
  }

  /** One more image that became error rows of {@code kind}. */
  public void addFailed(ErrorKind kind) {
    failed.get(kind).add(1);
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

  /** Images failed, of every kind. */
  public long failed() {
    return failed.values().stream().mapToLong(LongAccumulator::value).sum();
  }

  /** Images failed by kind, named by {@link ErrorKind#label()}; kinds without a failed image are left out. */
  public Map<String, Long> failedByKind() {
    Map<String, Long> kinds = new TreeMap<>();
    failed.forEach((kind, n) -> {
      if (n.value() > 0) {
        kinds.put(kind.label(), n.value());
      }
    });
    return kinds;
  }

  /** A listener of {@code sc} for the progress log, counting running tasks too; remove it when the job is done. */
  public LiveImageCounts listen(SparkContext sc) {
    Set<Long> failedIds = failed.values().stream().map(LongAccumulator::id).collect(Collectors.toUnmodifiableSet());
    LiveImageCounts live = new LiveImageCounts(Set.of(ok.id()), failedIds);
    sc.addSparkListener(live);
    return live;
  }

  public long modelMillis() {
    return modelMillis.value();
  }
}
