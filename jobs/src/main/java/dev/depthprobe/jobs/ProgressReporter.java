package dev.depthprobe.jobs;

import dev.depthprobe.udfs.ImageCounters;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A driver thread that logs a job's progress at a steady pace from its accumulators: images done,
 * images per second, errors. Accumulators reach the driver as tasks finish, so the counts move in
 * steps of one task.
 */
public final class ProgressReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final ScheduledExecutorService timer;

  private ProgressReporter(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts logging every {@code every} until {@link #close()}. */
  public static ProgressReporter start(String job, ImageCounters counters, Duration every) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "depthprobe-progress");
      t.setDaemon(true);
      return t;
    });
    long start = System.nanoTime();
    timer.scheduleAtFixedRate(
        () -> LOG.info(line(job, counters.ok(), counters.failed(), System.nanoTime() - start)),
        every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return new ProgressReporter(timer);
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
  }
}
