package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.imagegpt.FeatureSpec;
import dev.depthprobe.jobs.ExitCodes;
import dev.depthprobe.udfs.FeaturePartitionFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe job on synthetic feature tables, where the right accuracy is known in advance. */
class ProbeSyntheticFeaturesTest {
  private static final int CLASSES = 4;
  private static final int DIMS = 16;
  private static final String RUN = "2025-01-15";
  private static SparkCli cli;

  @TempDir
  Path dir;

  @BeforeAll
  static void startSpark() {
    cli = SparkCli.start(ProbeSyntheticFeaturesTest.class);
  }

  @AfterAll
  static void stopSpark() {
    cli.close();
  }

  @Test
  void separableFeaturesAreClassifiedAlmostPerfectly() throws IOException {
    JsonNode metrics = probeTrainAndTest(features(400, 1, false, List.of(12)), features(400, 2, false, List.of(12)),
        "0.01");

    assertTrue(metrics.path("accuracy").asDouble() >= 0.99, "accuracy " + metrics.path("accuracy"));
    assertEquals(400, metrics.path("counts").path("test").asLong());
    assertEquals(12, metrics.path("layer").asInt());
    assertEquals("hidden", metrics.path("recipe").asText());
  }

  @Test
  void randomLabelsStayNearChance() throws IOException {
    JsonNode metrics = probeTrainAndTest(features(400, 3, true, List.of(12)), features(400, 4, true, List.of(12)),
        "0.1");

    double accuracy = metrics.path("accuracy").asDouble();
    // chance is 1/4; with 400 test rows one standard deviation is 0.022
    assertTrue(accuracy > 0.15 && accuracy < 0.35, "accuracy " + accuracy);
  }

  @Test
  void errorRowsAreLeftOutAndCounted() throws IOException {
    String table = writeTable("table", features(200, 5, false, List.of(3, 12)), 7);

    JsonNode metrics = probe("--train", table, "--test-fraction", "0.25", "--layer", "3", "--reg-params", "0.01",
        "--max-iter", "30");

    JsonNode counts = metrics.path("counts");
    assertEquals(207, counts.path("table").path("rows").asLong());
    assertEquals(7, counts.path("table").path("error_rows").asLong());
    assertEquals(200, counts.path("table").path("used").asLong());
    // 50 rows of each label: round(50 * 0.25) = 13 held out per label
    assertEquals(4 * 13, counts.path("test").asLong());
    assertEquals(4 * 37, counts.path("train").asLong());
    assertEquals(0.01, metrics.path("regularisation").path("chosen").asDouble());
    assertEquals(3, metrics.path("layer").asInt());
  }

  @Test
  void theOutputsGoToTheRunFolderAndARerunReplacesOnlyThatFolder() throws IOException {
    String table = writeTable("table", features(80, 7, false, List.of(12)), 0);
    Path out = dir.resolve("out");
    probe("--train", table, "--test-fraction", "0.25", "--reg-params", "0.01", "--max-iter", "10");
    Path run = out.resolve("run_id=" + RUN);
    Files.writeString(run.resolve("left-by-an-earlier-attempt.txt"), "x");
    Files.createDirectories(out.resolve("run_id=2025-01-14"));

    JsonNode metrics = probe("--train", table, "--test-fraction", "0.25", "--reg-params", "0.1", "--max-iter", "10");

    assertEquals(0.1, metrics.path("regularisation").path("chosen").asDouble());
    try (var files = Files.list(run)) {
      assertEquals(Set.of("_SUCCESS", "metrics.json", "model", "predictions"),
          files.map(f -> f.getFileName().toString()).filter(f -> !f.startsWith(".")).collect(Collectors.toSet()));
    }
    assertTrue(Files.isDirectory(out.resolve("run_id=2025-01-14")), "another run is left alone");
  }

  @Test
  void dryRunChecksTheTablesAndPrintsThePlanWithoutWriting() throws IOException {
    String train = writeTable("train", features(40, 8, false, List.of(3, 12)), 2);
    String test = writeTable("test", features(20, 9, false, List.of(3, 12)), 0);
    SparkCli.Result dryRun = cli.run("probe", "--train", train, "--test", test, "--layer", "12",
        "--output", dir.resolve("out").toString(), "--run-id", RUN, "--dry-run");
    SparkCli.Result missingLayer = cli.run("probe", "--train", train, "--test", test,
        "--layer", "5", "--output", dir.resolve("out").toString(), "--run-id", RUN, "--dry-run");

    assertEquals(ExitCodes.OK, dryRun.code(), dryRun.err());
    String plan = dryRun.out();
    assertTrue(plan.contains("train        " + train + ": 40 usable rows (2 error and 0 unlabelled rows left out) "
        + "at layer 12"), plan);
    assertTrue(plan.contains("test         " + test + ": 20 usable rows"), plan);
    assertTrue(plan.contains("run_id=" + RUN), plan);
    assertEquals(ExitCodes.USAGE, missingLayer.code());
    assertTrue(missingLayer.err().contains("has no layer 5"), missingLayer.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void severalLayersWithoutLayerIsAUsageError() throws IOException {
    String table = writeTable("table", features(40, 6, false, List.of(3, 12)), 0);

    SparkCli.Result r = cli.run("probe", "--train", table, "--test-fraction", "0.25",
        "--output", dir.resolve("out").toString());

    assertEquals(ExitCodes.USAGE, r.code());
    String message = r.err();
    assertTrue(message.contains("holds layers [3, 12]; pick one with --layer"), message);
    assertEquals(1, message.lines().count(), message);
  }

  /**
   * {@code n} rows per layer, {@code n / CLASSES} per label: class {@code c}'s vectors are centred on
   * 4 * e_c with unit Gaussian noise (linearly separable), or, with {@code randomLabels}, every label is
   * drawn independently of the vector.
   */
  private static List<Row> features(int n, long seed, boolean randomLabels, List<Integer> layers) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int cls = i % CLASSES;
      float[] vector = new float[DIMS];
      for (int d = 0; d < DIMS; d++) {
        vector[d] = (float) (random.nextGaussian() + (d == cls ? 4 : 0));
      }
      String label = "class" + (randomLabels ? random.nextInt(CLASSES) : cls);
      for (int layer : layers) {
        rows.add(RowFactory.create("img" + seed + "-" + i, "synthetic", label, layer, boxed(vector), "synthetic",
            "ok", null));
      }
    }
    return rows;
  }

  /** Writes {@code rows} plus {@code errorRows} error rows per layer as a feature table; returns its path. */
  private String writeTable(String name, List<Row> rows, int errorRows) {
    List<Row> all = new ArrayList<>(rows);
    rows.stream().map(r -> r.getInt(3)).distinct().forEach(layer -> {
      for (int i = 0; i < errorRows; i++) {
        all.add(RowFactory.create("broken-" + i, "synthetic", "class0", layer, null, "synthetic", "error",
            "cannot decode"));
      }
    });
    String path = dir.resolve(name).toString();
    cli.spark().createDataFrame(all, FeaturePartitionFunction.outputSchema(FeatureSpec.hidden(12)))
        .write().parquet(path);
    return path;
  }

  /** Probes a train and a test table without error rows, with one regularisation value; returns metrics.json. */
  private JsonNode probeTrainAndTest(List<Row> train, List<Row> test, String regParam) throws IOException {
    return probe("--train", writeTable("train", train, 0), "--test", writeTable("test", test, 0), "--reg-params",
        regParam, "--max-iter", "30");
  }

  /** Runs the probe with {@code args} as run {@value #RUN} of {@code dir/out}; returns its metrics.json. */
  private JsonNode probe(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("probe", "--run-id", RUN, "--output",
        dir.resolve("out").toString()));
    command.addAll(List.of(args));
    SparkCli.Result r = cli.run(command.toArray(String[]::new));
    assertEquals(ExitCodes.OK, r.code(), r.err());
    return new ObjectMapper().readTree(dir.resolve("out/run_id=" + RUN + "/metrics.json").toFile());
  }

  private static Float[] boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}
