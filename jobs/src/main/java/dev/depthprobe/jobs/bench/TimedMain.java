package dev.depthprobe.jobs.bench;

import dev.depthprobe.jobs.Main;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * The CLI on a session of its own, noting when the command has its session (and, where executors are expected, once
 * they have all registered) and when it is done with it: the job's own wall time.
 */
final class TimedMain extends Main {
  private static final long REGISTRATION_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(2);
  private final int executors;
  private long sessionReady;
  private long commandDone;

  /** @param executors executor JVMs to wait for before the clock starts (0 in local mode) */
  TimedMain(int executors) {
    this.executors = executors;
  }

  @Override
  protected SparkSession buildSparkSession(Map<String, String> conf) {
    SparkSession session = super.buildSparkSession(conf);
    awaitExecutors(session);
    sessionReady = System.nanoTime();
    return session;
  }

  @Override
  protected void releaseSparkSession(SparkSession session) {
    commandDone = System.nanoTime();
    super.releaseSparkSession(session);
  }

  double jobSeconds() {
    return (commandDone - sessionReady) / 1e9;
  }

  private void awaitExecutors(SparkSession session) {
    long deadline = System.nanoTime() + REGISTRATION_TIMEOUT_NANOS;
    // the status tracker lists the driver too
    while (session.sparkContext().statusTracker().getExecutorInfos().length < executors + 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(executors + " executors did not register within 2 minutes");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for executors", e);
      }
    }
  }
}
