package dev.depthprobe.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.udfs.partition.ErrorKind;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class LiveImageCountsTest {
  /** Opened by the test once it has seen the running task's counts; the task (in this JVM) waits for it. */
  private static final CountDownLatch SEEN = new CountDownLatch(1);

  @Test
  void aRunningTasksImagesAreCountedFromItsHeartbeatsAndEachTaskOnce() throws Exception {
    SparkSession spark = SparkSession.builder().master("local[1]").appName("LiveImageCountsTest")
        .config("spark.ui.enabled", "false").config("spark.executor.heartbeatInterval", "200ms").getOrCreate();
    try {
      ImageCounters counters = ImageCounters.register(spark.sparkContext(), "live");
      LiveImageCounts live = counters.listen(spark.sparkContext());
      CompletableFuture<Void> job = CompletableFuture.runAsync(() -> spark.range(1).repartition(1)
          .foreachPartition((ForeachPartitionFunction<Long>) rows -> {
            counters.addOk(3);
            counters.addFailed(ErrorKind.DECODE);
            if (!SEEN.await(60, TimeUnit.SECONDS)) {
              throw new IllegalStateException("the driver never saw the running task's counts");
            }
            counters.addOk(2);
          }));

      assertTrue(within(() -> live.ok() == 3 && live.failed() == 1), "while the task runs: " + live.ok() + " ok, "
          + live.failed() + " failed");
      assertEquals(0, counters.ok(), "the accumulators move only when the task ends");
      SEEN.countDown();
      job.get(60, TimeUnit.SECONDS);

      assertTrue(within(() -> live.ok() == 5), "after the task: " + live.ok());
      assertEquals(1, live.failed());
      assertEquals(5, counters.ok());
    } finally {
      SEEN.countDown();
      spark.stop();
    }
  }

  private static boolean within(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }
}
