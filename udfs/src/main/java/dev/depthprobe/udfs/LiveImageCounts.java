package dev.depthprobe.udfs;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.Tuple4;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A job's images done and failed so far, running tasks included: the driver's accumulators move only when a
 * task ends (with two big partitions, not once until the end), so this listener also reads the partial values
 * that each executor's heartbeat carries for its running tasks ({@code spark.executor.heartbeatInterval},
 * 10 s by default). A task counts once: its last heartbeat's values while it runs, its final values once it
 * succeeds, nothing once an attempt fails (its images are redone by the next attempt). For the progress log;
 * the summary reads the accumulators.
 */
public final class LiveImageCounts extends SparkListener {
  private final Set<Long> okIds;
  private final Set<Long> failedIds;
  /** Running task id -> {ok, failed} from its latest heartbeat. */
  private final Map<Long, long[]> running = new ConcurrentHashMap<>();
  private final Set<Long> ended = ConcurrentHashMap.newKeySet();
  private final AtomicLong finishedOk = new AtomicLong();
  private final AtomicLong finishedFailed = new AtomicLong();

  LiveImageCounts(Set<Long> okIds, Set<Long> failedIds) {
    this.okIds = okIds;
    this.failedIds = failedIds;
  }

  public long ok() {
    return finishedOk.get() + running.values().stream().mapToLong(c -> c[0]).sum();
  }

  public long failed() {
    return finishedFailed.get() + running.values().stream().mapToLong(c -> c[1]).sum();
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    for (Tuple4<Object, Object, Object, Seq<AccumulableInfo>> task : CollectionConverters.asJava(update.accumUpdates())) {
      long taskId = (Long) task._1();
      long[] counts = counts(task._4());
      if ((counts[0] > 0 || counts[1] > 0) && !ended.contains(taskId)) {
        running.put(taskId, counts);
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    long taskId = end.taskInfo().taskId();
    ended.add(taskId);
    running.remove(taskId);
    if (end.reason() == Success$.MODULE$) {
      long[] counts = counts(end.taskInfo().accumulables());
      finishedOk.addAndGet(counts[0]);
      finishedFailed.addAndGet(counts[1]);
    }
  }

  /** {ok, failed} among a task's accumulator values. */
  private long[] counts(Seq<AccumulableInfo> values) {
    long[] counts = new long[2];
    for (AccumulableInfo info : CollectionConverters.asJava(values)) {
      if (info.update().isDefined() && info.update().get() instanceof Long n) {
        if (okIds.contains(info.id())) {
          counts[0] += n;
        } else if (failedIds.contains(info.id())) {
          counts[1] += n;
        }
      }
    }
    return counts;
  }
}
