package dev.depthprobe.jobs;

import dev.depthprobe.udfs.ImageCounters;
import dev.depthprobe.udfs.LiveImageCounts;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A driver thread that logs a job's progress at a steady pace: images done, images per second, errors. The
 * counts include running tasks, from their executors' heartbeats ({@link LiveImageCounts}), so they move while
 * a big partition runs, not only when a task ends.
 */
public final class ProgressReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final ScheduledExecutorService timer;
  /** Takes the counts' listener off the Spark context. */
  private final Runnable stopListening;

  private ProgressReporter(ScheduledExecutorService timer, Runnable stopListening) {
    this.timer = timer;
    this.stopListening = stopListening;
  }

  /** Starts logging every {@code every} until {@link #close()}. */
  public static ProgressReporter start(String job, ImageCounters counters, SparkContext sc, Duration every) {
    LiveImageCounts live = counters.listen(sc);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "depthprobe-progress");
      t.setDaemon(true);
      return t;
    });
    long start = System.nanoTime();
    timer.scheduleAtFixedRate(
        () -> LOG.info(line(job, live.ok(), live.failed(), System.nanoTime() - start)),
        every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return new ProgressReporter(timer, () -> sc.removeSparkListener(live));
  }

  static String line(String job, long ok, long failed, long elapsedNanos) {
    long done = ok + failed;
    double seconds = elapsedNanos / 1e9;
    return String.format(Locale.ROOT, "%s: %d images done, %.1f images/s, %d errors", job, done,
        seconds > 0 ? done / seconds : 0.0, failed);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    stopListening.run();
  }
}
