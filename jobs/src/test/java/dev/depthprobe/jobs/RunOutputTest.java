package dev.depthprobe.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.datasets.ParquetReaderBatch;
import dev.depthprobe.jobs.probe.OneRunTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunOutputTest {
  static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder().master("local[2]").appName("RunOutputTest")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void rerunWithTheSameRunIdReplacesOnlyItsPartition() {
    String output = tmp.resolve("out").toString();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    new RunOutput(output, "a").write(ids("a1", "a2", "a3"));
    new RunOutput(output, "a").markSuccess(hadoopConf);
    new RunOutput(output, "b").write(ids("b1", "b2"));
    new RunOutput(output, "b").markSuccess(hadoopConf);
    new RunOutput(output, "a").write(ids("a9"));

    assertEquals(Map.of("a", List.of("a9"), "b", List.of("b1", "b2")), idsByRun(output));
    assertFalse(Files.exists(Path.of(output, "run_id=a", "_SUCCESS")), "the rewrite is not complete until marked");
    assertTrue(Files.exists(Path.of(output, "run_id=b", "_SUCCESS")));
    assertEquals(List.of("a9"), spark.read().parquet(new RunOutput(output, "a").runPath()).as(Encoders.STRING()).collectAsList());
  }

  @Test
  void rowsAreWrittenAsTheyComeWithoutSortingATasksRows() throws Exception {
    BlockingQueue<String> plans = new LinkedBlockingQueue<>();
    QueryExecutionListener listener = new QueryExecutionListener() {
      @Override
      public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
        plans.add(qe.executedPlan().treeString());
      }

      @Override
      public void onFailure(String funcName, QueryExecution qe, Exception exception) {
        plans.add("failed: " + exception);
      }
    };
    spark.listenerManager().register(listener);
    try {
      new RunOutput(tmp.resolve("out").toString(), "a").write(ids("a1", "a2"));
      String plan = plans.poll(30, TimeUnit.SECONDS);
      assertTrue(plan != null && plan.contains("InsertIntoHadoopFsRelationCommand"), "the write's plan: " + plan);
      assertFalse(plan.contains("Sort"), plan);
    } finally {
      spark.listenerManager().unregister(listener);
    }
  }

  @Test
  void aRunIsReadBackAFewRowsAtATimeForItsRowsHoldWholeDepthMaps() {
    RunOutput run = new RunOutput(tmp.resolve("depth").toString(), "r1");
    run.write(ids("d1"));
    try {
      spark.conf().unset(ParquetReaderBatch.KEY);

      OneRunTable.read(spark, run.runPath(), "--predictions");

      assertEquals(String.valueOf(ParquetReaderBatch.ROWS), spark.conf().get(ParquetReaderBatch.KEY));
    } finally {
      spark.conf().unset(ParquetReaderBatch.KEY);
    }
  }

  @Test
  void runIdsThatAreNotPlainNamesAreRefused() {
    UserException e = assertThrows(UserException.class, () -> new RunOutput("out", "../x"));
    assertEquals("--run-id '../x': use letters, digits, '.', '_' and '-' only", e.getMessage());
    assertThrows(UserException.class, () -> new RunOutput("out", "a b"));
    assertEquals("out/run_id=2024-05-01", new RunOutput("out", "2024-05-01").runPath());
  }

  @Test
  void anOutputThatIsAFileIsAUserError() throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    UserException e = assertThrows(UserException.class,
        () -> new RunOutput(file.toString(), "r").checkWritable(spark.sparkContext().hadoopConfiguration()));
    assertEquals("--output " + file + ": exists and is not a directory", e.getMessage());
    new RunOutput(tmp.resolve("new").toString(), "r").checkWritable(spark.sparkContext().hadoopConfiguration());
  }

  private static Dataset<Row> ids(String... ids) {
    return spark.createDataset(List.of(ids), Encoders.STRING()).toDF("image_id");
  }

  private static Map<String, List<String>> idsByRun(String output) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Row r : spark.read().parquet(output).selectExpr("cast(run_id as string)", "image_id")
        .orderBy("image_id").collectAsList()) {
      out.computeIfAbsent(r.getString(0), k -> new java.util.ArrayList<>()).add(r.getString(1));
    }
    return out;
  }
}
