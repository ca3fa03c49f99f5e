package dev.depthprobe.udfs.partition;

import dev.depthprobe.checkpoint.CheckpointBuffers;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.model.ImageModel;
import dev.depthprobe.udfs.ImageCounters;
import dev.depthprobe.udfs.ModelCache;
import dev.depthprobe.udfs.TaskThreads;
import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.device.DeviceBatchQueue;
import dev.depthprobe.udfs.device.TaskDevice;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The one partition function of the image jobs. Each task pins its thread to its device, sizes ND4J's
 * threads, takes the model from the JVM-wide {@link ModelCache} (built once per executor and device
 * from the model source, held until the task completes), sets its {@link ImageAdmission} (the task's
 * budget), then {@link ImageRows} turns its input rows into the job's output rows. On a
 * GPU the tasks sharing the device submit their batches to one {@link DeviceBatchQueue}, which merges
 * them into full batches. The function captures only the model source (a broadcast or a path), the
 * job, the settings and the accumulators.
 */
public final class PartitionSkeleton {
  /** How long a part-filled batch waits in the queue for other tasks' images of its size. */
  private static final Duration QUEUE_WAIT = Duration.ofMillis(50);

  private PartitionSkeleton() {}

  /** @param batchQueue run batches through the device's queue (a GPU; tests take it on the CPU) */
  public static <M extends ImageModel, R> MapPartitionsFunction<Row, Row> rows(ModelSource model, ImageJob<M, R> job,
      TaskSettings settings, ImageCounters counters, boolean batchQueue) {
    return rows -> {
      if (!rows.hasNext()) {
        return Collections.emptyIterator();
      }
      String deviceLabel = TaskDevice.pin(settings.device(), TaskContext.get().resourcesJMap());
      int threads = TaskThreads.forCurrentTask(settings.threads());
      TaskThreads.use(threads);
      ModelCache.Lease<M> lease = lease(model, job, deviceLabel, counters);
      TaskContext.get().addTaskCompletionListener((TaskCompletionListener) context -> lease.close());
      M built = job.forTask(lease.value());
      Function<List<RgbImage>, List<R>> runBatch = batchQueue
          ? queue(lease, deviceLabel, job, settings)::runAll
          : images -> job.run(built, images);
      ImageAdmission admission = new ImageAdmission(built.costModel(), settings.limits().budget(TaskThreads.concurrentTasks()),
          threads);
      return new ImageRows<>(rows, built, runBatch, job, settings, admission, counters);
    };
  }

  /**
   * Builds the job's model into this JVM's {@link ModelCache} now, as the first task on the CPU would, and
   * lets it go (it stays cached). In local mode the driver's JVM runs the tasks: started while the query is
   * planned, the build overlaps the planning, and the tasks find the model built or wait for it. Does nothing
   * for a GPU, whose model is built on the task's device.
   */
  public static <M extends ImageModel> void buildAhead(ModelSource model, ImageJob<M, ?> job, Device device,
      ImageCounters counters) {
    if (device != Device.CPU) {
      return;
    }
    lease(model, job, TaskDevice.pin(Device.CPU, Map.of()), counters).close();
  }

  /** The executor's model of {@code model} on the device, built by the job on first use (counted). */
  private static <M extends ImageModel> ModelCache.Lease<M> lease(ModelSource model, ImageJob<M, ?> job,
      String deviceLabel, ImageCounters counters) {
    return ModelCache.acquire(TaskDevice.cacheKey(model.key(), deviceLabel), model.weightBytes(), () -> {
      counters.addModelBuilt();
      return CheckpointBuffers.releasedAfter(() -> job.build(model));
    });
  }

  /**
   * The executor's batch queue of one device, model, batch size and result key, made on first use: it
   * runs batches of up to {@code batchSize} images of one processed size on a thread pinned to the device.
   */
  private static <M extends ImageModel, R> DeviceBatchQueue<RgbImage, R> queue(ModelCache.Lease<M> model,
      String deviceLabel, ImageJob<M, R> job, TaskSettings settings) {
    M built = model.value();
    return model.attached("queue:" + settings.batchSize() + ":" + job.resultKey(),
        () -> new DeviceBatchQueue<>(deviceLabel, settings.batchSize(), QUEUE_WAIT,
            image -> ProcessedSize.of(built, image), images -> job.run(built, images)));
  }
}
