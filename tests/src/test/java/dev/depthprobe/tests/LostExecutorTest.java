package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.jobs.ExitCodes;
import dev.depthprobe.udfs.partition.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The depth job on two executor JVMs (Spark's local-cluster mode) loses one of them mid-run: once the
 * first partition is written, the executor that wrote it is killed with SIGKILL. Its running task and
 * the shuffle blocks it held are gone; Spark runs them again on the executors left (and the one the
 * cluster starts in its place), and the run is the same as an undisturbed run on the same cluster.
 */
class LostExecutorTest {
  static final Path SAMPLE = Path.of("../datasets/src/main/resources/sample");
  static final Path IMAGES = Path.of("../model-core/src/test/resources/fixtures/images");
  static final Path GLPN_TINY = Path.of("../model-core/src/test/resources/fixtures/glpn-tiny/model");
  static final int EXECUTORS = 2;
  /** One partition per image, so that work remains on both executors when the first one is done. */
  static final int PARTITIONS = 8;

  @TempDir
  static Path dir;
  static SparkCli sparkCli;
  static SparkSession spark;
  static Path input;

  @BeforeAll
  static void startCluster() throws IOException, InterruptedException {
    // Executors run from the test classpath; their work folders go to a temporary SPARK_HOME.
    System.setProperty("spark.testing", "true");
    System.setProperty("spark.test.home", Files.createDirectories(dir.resolve("spark-home")).toString());
    sparkCli = SparkCli.start(LostExecutorTest.class, "local-cluster[" + EXECUTORS + ",1,1024]",
        Map.of("spark.executorEnv.SPARK_TESTING", "1", "spark.executorEnv.SPARK_SCALA_VERSION", "2.13"));
    spark = sparkCli.spark();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < EXECUTORS + 1
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    input = Files.createDirectories(dir.resolve("input"));
    try (var files = Files.list(SAMPLE)) {
      for (Path f : files.filter(p -> !p.toString().endsWith(".md")).toList()) {
        Files.copy(f, input.resolve(f.getFileName()));
      }
    }
    for (String f : List.of("coco_cats_240x320.png", "odd_97x123.png", "gradient_64x80.png")) {
      Files.copy(IMAGES.resolve(f), input.resolve(f));
    }
  }

  @AfterAll
  static void stopCluster() {
    sparkCli.close();
    System.clearProperty("spark.testing");
    System.clearProperty("spark.test.home");
  }

  @Test
  void anExecutorKilledAfterTheFirstPartitionLosesNoRowAndChangesNoDepth() throws IOException, TimeoutException {
    String output = dir.resolve("out").toString();
    SparkCli.Result undisturbed = depth(output, "undisturbed");
    assertEquals(ExitCodes.OK, undisturbed.code(), undisturbed.err());

    ExecutorKiller killer = new ExecutorKiller(executorPids());
    // Listener events arrive asynchronously: earlier jobs' task ends must not reach the killer, and all of
    // this run's must.
    spark.sparkContext().listenerBus().waitUntilEmpty();
    spark.sparkContext().addSparkListener(killer);
    SparkCli.Result disturbed;
    try {
      disturbed = depth(output, "lost-executor");
    } finally {
      spark.sparkContext().listenerBus().waitUntilEmpty();
      spark.sparkContext().removeSparkListener(killer);
    }

    assertEquals(ExitCodes.OK, disturbed.code(), disturbed.err());
    assertNotNull(killer.killed.get(), "an executor was killed");
    assertTrue(killer.removed.contains(killer.killed.get()), "Spark saw executor " + killer.killed.get() + " go");
    assertFalse(killer.failures.isEmpty(), "the job lost work and ran it again");
    List<Row> expected = runRows(output, "undisturbed");
    List<Row> actual = runRows(output, "lost-executor");
    assertEquals(PARTITIONS, expected.size(), "one row per input");
    assertEquals(byImage(expected), byImage(actual), "the same rows, depths bit for bit");
    long ok = actual.stream().filter(r -> r.getAs("status").equals("ok")).count();
    SummaryCounts.assertCountsRows(Path.of(output, "run_id=lost-executor"), actual);
    assertTrue(disturbed.out().contains("Wrote " + actual.size() + " rows (" + ok + " ok, "), disturbed.out());
    // Spark reports an accumulator in a task's end only where the task added to it: kinds without errors are absent.
    Map<String, Long> counted = new TreeMap<>(Map.of("depth.images.ok", ok));
    for (ErrorKind kind : ErrorKind.values()) {
      long n = actual.stream().filter(r -> r.getAs("status").equals("error")
          && r.<String>getAs("error").startsWith(kind.label() + ":")).count();
      if (n > 0) {
        counted.put("depth.errors." + kind.label(), n);
      }
    }
    assertEquals(counted, new TreeMap<>(killer.counters),
        "the accumulators (the summary's counts) count each row once, however many attempts ran");
  }

  /**
   * Kills, with SIGKILL, the JVM of the executor that finishes the first result task (a depth partition
   * written) after it was added, and records the executors Spark removed, the task attempts that failed and
   * the depth job's image accumulators (ok, and errors by kind) as the driver holds them after the last
   * successful task.
   */
  static final class ExecutorKiller extends SparkListener {
    private final Map<String, Long> pids;
    final AtomicReference<String> killed = new AtomicReference<>();
    final Set<String> removed = ConcurrentHashMap.newKeySet();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final Map<String, Long> counters = new ConcurrentHashMap<>();

    ExecutorKiller(Map<String, Long> pids) {
      this.pids = pids;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.reason() instanceof TaskFailedReason failed) {
        failures.add(failed.toErrorString());
      }
      for (AccumulableInfo info : CollectionConverters.asJava(end.taskInfo().accumulables())) {
        if (info.name().isDefined() && info.value().isDefined()
            && (info.name().get().startsWith("depth.images.") || info.name().get().startsWith("depth.errors."))) {
          counters.merge(info.name().get(), (Long) info.value().get(), Math::max);
        }
      }
      String executor = end.taskInfo().executorId();
      if (end.taskType().equals("ResultTask") && end.taskInfo().successful() && pids.containsKey(executor)
          && killed.compareAndSet(null, executor)) {
        ProcessHandle process = ProcessHandle.of(pids.get(executor)).orElseThrow();
        process.destroyForcibly();
        process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removal) {
      removed.add(removal.executorId());
    }
  }

  /** Each executor's id and the pid of its JVM, as the executors report them in a small job. */
  private static Map<String, Long> executorPids() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<String, Long> pids = new TreeMap<>();
    for (int attempt = 0; attempt < 10 && pids.size() < EXECUTORS; attempt++) {
      for (String report : jsc.parallelize(IntStream.range(0, 4 * EXECUTORS).boxed().toList(), 4 * EXECUTORS)
          .map(i -> {
            Thread.sleep(100);
            return SparkEnv.get().executorId() + " " + ProcessHandle.current().pid();
          }).collect()) {
        String[] f = report.split(" ");
        pids.put(f[0], Long.parseLong(f[1]));
      }
    }
    assertEquals(EXECUTORS, pids.size(), "executors that reported their pid: " + pids);
    assertFalse(pids.containsValue(ProcessHandle.current().pid()), "executors are not the driver");
    return pids;
  }

  private static SparkCli.Result depth(String output, String runId) {
    return sparkCli.run("depth", "--input", input.toString(), "--model", GLPN_TINY.toString(), "--output", output,
        "--run-id", runId, "--partitions", String.valueOf(PARTITIONS));
  }

  private static List<Row> runRows(String output, String runId) {
    return spark.read().parquet(output + "/run_id=" + runId).collectAsList();
  }

  /** Rows by image id, each as its column values (the depth as a list of floats, equal only bit for bit). */
  private static Map<String, List<Object>> byImage(List<Row> rows) {
    Map<String, List<Object>> out = new TreeMap<>();
    for (Row r : rows) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        values.add(r.isNullAt(i) || i != r.fieldIndex("depth") ? r.get(i) : r.getList(i));
      }
      assertNull(out.put(r.getAs("image_id"), values), "one row for " + r.getAs("image_id"));
    }
    return out;
  }
}
