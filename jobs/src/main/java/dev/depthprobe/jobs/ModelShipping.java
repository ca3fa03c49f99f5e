package dev.depthprobe.jobs;

import dev.depthprobe.udfs.distribution.DistributionPlan;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * The model's distribution ({@link DistributionPlan#distribute}: the weight files' check and content hash, or
 * their read and broadcast) on a thread of its own, so that it overlaps the driver's other work before the
 * job runs (listing the input). {@link #get} gives its model source or throws what it threw; a job that fails
 * before then (a bad --input, say) {@link #close()}s it, which interrupts the distribution (the content hash stops
 * between two reads) and waits for its thread to end, so that the error is reported without waiting for
 * gigabytes to be hashed, and no thread is left reading weights while the session stops.
 */
final class ModelShipping implements AutoCloseable {
  private final CompletableFuture<ModelSource> source;
  private final Thread thread;

  private ModelShipping(CompletableFuture<ModelSource> source, Thread thread) {
    this.source = source;
    this.thread = thread;
  }

  /** Starts distributing {@code checkpoint}'s model on a daemon thread. */
  static ModelShipping start(DistributionPlan checkpoint, SparkSession spark) {
    return start(() -> checkpoint.distribute(spark));
  }

  /** Starts {@code distribution} on a daemon thread. */
  static ModelShipping start(Supplier<ModelSource> distribution) {
    CompletableFuture<ModelSource> source = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        source.complete(distribution.get());
      } catch (Throwable failure) {
        source.completeExceptionally(failure);
      }
    }, "depthprobe-model-distribution");
    thread.setDaemon(true);
    thread.start();
    return new ModelShipping(source, thread);
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

  /** Interrupts the distribution if it is still running, and waits for its thread to end. */
  @Override
  public void close() throws InterruptedException {
    if (!source.isDone()) {
      thread.interrupt();
    }
    thread.join();
  }
}
