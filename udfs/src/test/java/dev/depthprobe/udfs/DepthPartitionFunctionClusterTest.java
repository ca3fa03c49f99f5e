package dev.depthprobe.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.partition.ImageLimits;
import dev.depthprobe.udfs.device.TaskDevice;
import dev.depthprobe.udfs.distribution.DistributionPlan;
import dev.depthprobe.udfs.distribution.ModelDistribution;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The depth partition function on two real executor JVMs (Spark's local-cluster mode): each builds the
 * model once, from one deserialised copy of the broadcast weights, however many tasks it runs. In
 * local mode the executor is the driver and the broadcast value is never deserialised, so only separate
 * executors can show that the weights travel once per executor and not with every task.
 */
class DepthPartitionFunctionClusterTest {
  static final Path IMAGES = Path.of("../model-core/src/test/resources/fixtures/images");
  static final int EXECUTORS = 2;
  static final int PARTITIONS = 8;

  @TempDir
  static Path sparkHome;
  static SparkSession spark;

  @BeforeAll
  static void startCluster() throws InterruptedException {
    // Executors run from the test classpath; their work folders go to a temporary SPARK_HOME.
    System.setProperty("spark.testing", "true");
    System.setProperty("spark.test.home", sparkHome.toString());
    // Under spark.testing each worker's folder (its executors' stderr) is a new folder in java.io.tmpdir.
    String tmpdir = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", sparkHome.toString());
    try {
      spark = SparkSession.builder().master("local-cluster[" + EXECUTORS + ",1,1024]")
          .appName("DepthPartitionFunctionClusterTest")
          .config("spark.ui.enabled", "false")
          .config("spark.executorEnv.SPARK_TESTING", "1")
          .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
          .getOrCreate();
    } finally {
      System.setProperty("java.io.tmpdir", tmpdir);
    }
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < EXECUTORS + 1
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stopCluster() {
    spark.stop();
    System.clearProperty("spark.testing");
    System.clearProperty("spark.test.home");
  }

  @Test
  void eachExecutorBuildsTheModelOnceFromOneCopyOfTheWeights() throws IOException, InterruptedException {
    assertEquals(EXECUTORS + 1, spark.sparkContext().statusTracker().getExecutorInfos().length,
        "executors registered (plus the driver)");
    ModelSource model = DistributionPlan.of(DepthPartitionFunctionTest.GLPN_TINY.toString(),
        ModelDistribution.BROADCAST, spark.sparkContext().hadoopConfiguration()).distribute(spark);
    List<Row> input = inputRows(4);
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "test");

    List<Row> out = spark.createDataFrame(input, DepthPartitionFunctionTest.INPUT).repartition(PARTITIONS)
        .mapPartitions(DepthPartitionFunction.depthRows(model,
            new DepthTaskSettings(2, false, false, 0, null, Device.CPU, ImageLimits.ofPixels(ImageLoader.DEFAULT_MAX_PIXELS)), null, counters),
            Encoders.row(DepthRows.SCHEMA))
        .collectAsList();

    assertEquals(input.size(), out.size());
    assertEquals(List.of(), out.stream().filter(r -> !r.getAs("status").equals(DepthRows.OK))
        .map(r -> r.getAs("image_id") + ": " + r.getAs("error")).toList(), "errors");
    assertEquals(input.size(), counters.ok());
    String cacheKey = TaskDevice.cacheKey(model.key(), "cpu");
    Map<String, Boolean> cached = executorsHolding(cacheKey);
    assertEquals(EXECUTORS, cached.size(), "executors that reported: " + cached);
    cached.forEach((executor, holds) -> assertTrue(holds, "executor " + executor + " holds the model"));
    assertEquals(EXECUTORS, counters.modelsBuilt(), "one model build per executor for all " + PARTITIONS + " tasks");
    assertFalse(ModelCache.keys().contains(cacheKey), "the driver never builds the model");
    Map<String, Long> received = broadcastReceptionsLogged(model.label());
    assertEquals(cached.keySet(), received.keySet(), "executors' work folders");
    received.forEach((executor, n) -> assertEquals(1, n,
        "executor " + executor + ": payload deserialisations (its log's 'received ... broadcast weights' lines)"));
  }

  /**
   * Per executor, the lines {@code Model LABEL: received N MiB of broadcast weights} in its stderr, which its
   * worker copies into {@code WORKER_DIR/APP/EXECUTOR/stderr}: one per deserialised copy of the payload.
   * Waits up to 10 s for the copies to reach every executor's file.
   */
  private static Map<String, Long> broadcastReceptionsLogged(String label) throws IOException, InterruptedException {
    String app = spark.sparkContext().applicationId();
    String line = "Model " + label + ": received ";
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      Map<String, Long> out = new TreeMap<>();
      for (Path executor : executorFolders(app)) {
        // ISO-8859-1 reads any bytes; the line looked for is ASCII
        long n = Files.readString(executor.resolve("stderr"), StandardCharsets.ISO_8859_1).lines()
            .filter(l -> l.contains(line)).count();
        out.put(executor.getFileName().toString(), n);
      }
      if (!out.containsValue(0L) || System.nanoTime() > deadline) {
        return out;
      }
      Thread.sleep(200);
    }
  }

  /** The application's executor folders in the workers' folders ({@code worker-*} in {@link #sparkHome}). */
  private static List<Path> executorFolders(String app) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> workers = Files.list(sparkHome)) {
      for (Path worker : workers.filter(p -> p.getFileName().toString().startsWith("worker-")).toList()) {
        if (Files.isDirectory(worker.resolve(app))) {
          try (Stream<Path> executors = Files.list(worker.resolve(app))) {
            out.addAll(executors.toList());
          }
        }
      }
    }
    return out;
  }

  /** Whether each executor's model cache holds {@code key}, from many tasks. */
  private static Map<String, Boolean> executorsHolding(String key) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<String> reports = jsc.parallelize(IntStream.range(0, 4 * PARTITIONS).boxed().toList(), 4 * PARTITIONS)
        .mapPartitions(report(key)).collect();
    Map<String, Boolean> out = new TreeMap<>();
    for (String r : reports) {
      String[] f = r.split(" ");
      out.put(f[0], Boolean.parseBoolean(f[1]));
    }
    return out;
  }

  private static FlatMapFunction<Iterator<Integer>, String> report(String key) {
    return ignored -> {
      Thread.sleep(100);
      return List.of(SparkEnv.get().executorId() + " " + ModelCache.keys().contains(key)).iterator();
    };
  }

  private static List<Row> inputRows(int copies) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(IMAGES)) {
      files = s.filter(p -> p.toString().endsWith(".png")).sorted().collect(Collectors.toList());
    }
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < copies; c++) {
      for (Path f : files) {
        rows.add(RowFactory.create(c + "/" + f.getFileName(), f.toString(), Files.readAllBytes(f)));
      }
    }
    return rows;
  }
}
