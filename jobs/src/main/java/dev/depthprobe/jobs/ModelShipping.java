package dev.depthprobe.jobs;

import dev.depthprobe.udfs.distribution.DistributionPlan;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.spark.sql.SparkSession;

/**
 * The model's distribution ({@link DistributionPlan#distribute}: the weight files' check and content hash, or
 * their read and broadcast) on a thread of its own, so that it overlaps the driver's other work before the
 * job runs (listing the input). {@link #get} gives its model source or throws what it threw; a job that fails
 * before then {@link #close()}s it, which waits for the distribution to end, so that no thread is left reading
 * weights or broadcasting while the session stops.
 */
final class ModelShipping implements AutoCloseable {
  private final CompletableFuture<ModelSource> source;

  private ModelShipping(CompletableFuture<ModelSource> source) {
    this.source = source;
  }

  /** Starts distributing {@code checkpoint}'s model on a daemon thread. */
  static ModelShipping start(DistributionPlan checkpoint, SparkSession spark) {
    return new ModelShipping(CompletableFuture.supplyAsync(() -> checkpoint.distribute(spark), task -> {
      Thread thread = new Thread(task, "depthprobe-model-distribution");
      thread.setDaemon(true);
      thread.start();
    }));
  }

  /** The model source, once distributed; a failure is thrown as {@link DistributionPlan#distribute} threw it. */
  ModelSource get() {
    try {
      return source.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Waits for the distribution to end, whether it succeeded or not. */
  @Override
  public void close() {
    source.handle((model, failure) -> null).join();
  }
}
