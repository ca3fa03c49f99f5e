package dev.depthprobe.tests;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.jobs.ExitCodes;
import dev.depthprobe.npy.Npy;
import dev.depthprobe.npy.NpyArray;
import dev.depthprobe.testing.FloatArrays;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * features then probe on the bundled CIFAR-10 subset (300 train and 100 test images, binary batches and
 * the same pixels as PNG class folders) with the bundled tiny ImageGPT (random weights).
 */
class FeaturesProbeEndToEndTest {
  /** Within 1e-5 of the largest magnitude: the same model, one image alone or in a batch of 16. */
  private static final double TOLERANCE = 1e-5;
  private static final Logger LOG = LoggerFactory.getLogger(FeaturesProbeEndToEndTest.class);
  private static final Path CIFAR = Path.of("../datasets/src/test/resources/cifar10");
  private static final Path MODEL = Path.of("../jobs/src/main/resources/sample-model/imagegpt-tiny");
  private static SparkCli cli;

  @TempDir
  Path dir;

  @BeforeAll
  static void startSpark() {
    cli = SparkCli.start(FeaturesProbeEndToEndTest.class);
  }

  @AfterAll
  static void stopSpark() {
    cli.close();
  }

  @Test
  void cifarFeaturesMatchPredictFeaturesAndTheProbeReportsTheAccuracyOfItsPredictions() throws IOException {
    String train = dir.resolve("features-train").toString();
    String test = dir.resolve("features-test").toString();
    for (String[] split : new String[][] {{"train", train}, {"test", test}}) {
      var r = cli.run("features", "--input", CIFAR.resolve("cifar-10-batches-bin").toString(), "--input-format",
          "cifar10", "--split-dirs", split[0], "--layers", "4", "--output", split[1], "--run-id", "r1",
          "--batch-size", "16", "--partitions", "2");
      assertEquals(ExitCodes.OK, r.code(), r.err());
    }

    Dataset<Row> features = cli.spark().read().parquet(train);
    assertEquals(300, features.count());
    assertEquals(300, features.select("image_id").distinct().count());
    assertEquals(300, features.where(col("status").equalTo("ok").and(col("layer").equalTo(4))).count());
    // every image's row equals predict-features on the same image (the PNG the class-folder copy holds)
    for (Row row : features.collectAsList()) {
      String imageId = row.getAs("image_id");
      int index = Integer.parseInt(imageId.substring(imageId.indexOf('/') + 1));
      Path png = CIFAR.resolve(String.format("png/train/%s/%05d.png", row.<String>getAs("label"), index));
      Path npy = dir.resolve("one.npy");
      var r = cli.run("predict-features", "--model", MODEL.toString(), "--image", png.toString(), "--layer", "4",
          "--out", npy.toString());
      assertEquals(ExitCodes.OK, r.code(), r.err());
      NpyArray expected = Npy.read(npy);
      assertArrayEquals(new long[] {1, 32}, expected.shape());
      FloatArrays.assertClose(expected.toFloatArray(), floats(row.getList(row.fieldIndex("features"))), TOLERANCE,
          row.getAs("image_id"));
    }

    var r = cli.run("probe", "--train", train, "--test", test, "--output", dir.resolve("probe").toString(),
        "--run-id", "r1", "--reg-params", "0.01,1", "--max-iter", "50");
    assertEquals(ExitCodes.OK, r.code(), r.err());

    Path probe = dir.resolve("probe/run_id=r1");
    JsonNode metrics = new ObjectMapper().readTree(probe.resolve("metrics.json").toFile());
    Dataset<Row> predictions = cli.spark().read().parquet(probe.resolve("predictions").toString());
    long correct = predictions.where(col("label").equalTo(col("predicted_label"))).count();
    assertEquals(100, predictions.count());
    assertEquals((double) correct / 100, metrics.path("accuracy").asDouble());
    assertEquals(300, metrics.path("counts").path("train").asLong());
    assertEquals(100, metrics.path("counts").path("test").asLong());
    assertEquals(0, metrics.path("counts").path("train_table").path("error_rows").asLong());
    assertEquals(4, metrics.path("layer").asInt());
    assertEquals("hidden", metrics.path("recipe").asText());
    assertEquals(10, metrics.path("confusion_matrix").path("labels").size());
    assertTrue(Files.isDirectory(probe.resolve("model/stages")));
    assertTrue(Files.exists(probe.resolve("_SUCCESS")));
    LOG.info("CIFAR-10 subset, tiny ImageGPT (random weights), layer 4: probe accuracy {} (chance 0.1), "
        + "regularisation {}", metrics.path("accuracy"), metrics.path("regularisation").path("chosen"));
  }

  @Test
  void severalLayersGiveOneRowPerImageAndLayerAndAnUndecodableImageOneErrorRowPerLayer() throws IOException {
    Path root = Files.createDirectories(dir.resolve("images/cat"));
    Files.createDirectories(dir.resolve("images/dog"));
    Files.copy(CIFAR.resolve("png/train/cat/00009.png"), root.resolve("a.png"));
    Files.write(root.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
    Files.copy(CIFAR.resolve("png/test/dog/00012.png"), dir.resolve("images/dog/b.png"));
    String output = dir.resolve("features").toString();

    var r = cli.run("features", "--input", dir.resolve("images").toString(), "--input-format", "class-folders",
        "--layers", "2,4", "--recipe", "ln", "--output", output, "--run-id", "r2");

    assertEquals(ExitCodes.OK, r.code(), r.err());
    List<Row> rows = cli.spark().read().parquet(output).orderBy("image_id", "layer").collectAsList();
    assertEquals(6, rows.size());
    assertEquals(List.of("cat/a.png", "cat/a.png", "cat/broken.png", "cat/broken.png", "dog/b.png", "dog/b.png"),
        rows.stream().map(row -> row.<String>getAs("image_id")).toList());
    assertEquals(List.of(2, 4, 2, 4, 2, 4), rows.stream().map(row -> row.<Integer>getAs("layer")).toList());
    Row broken = rows.get(2);
    assertEquals("error", broken.getAs("status"));
    assertTrue(broken.<String>getAs("error").startsWith("decode: "), broken.<String>getAs("error"));
    assertNull(broken.getAs("features"));
    assertEquals("cat", broken.getAs("label"));
    assertEquals(32, rows.get(0).getList(rows.get(0).fieldIndex("features")).size());
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("features/run_id=r2/_summary.json").toFile());
    assertEquals(3, summary.path("images").path("total").asInt());
    assertEquals(1, summary.path("images").path("error").asInt());
    SummaryCounts.assertCountsRows(dir.resolve("features/run_id=r2"),
        rows.stream().filter(row -> row.<Integer>getAs("layer") == 2).toList());
    assertEquals("ln", cli.spark().read().parquet(output).schema().apply("features").metadata().getString("recipe"));
  }

  @Test
  void dryRunPrintsThePlanAndWritesNothing() {
    String output = dir.resolve("features").toString();

    var r = cli.run("features", "--input", CIFAR.resolve("png").toString(), "--input-format", "class-folders",
        "--split-dirs", "test", "--layers", "1,3", "--output", output, "--dry-run");

    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertTrue(r.out().contains("class-folders, splits [test], 100 images"), r.out());
    assertTrue(r.out().contains("layers [1, 3], recipe hidden"), r.out());
    assertFalse(Files.exists(dir.resolve("features")));
  }

  @Test
  void aLayerTheModelDoesNotHaveIsOneLineAndExitCode2() {
    var r = cli.run("features", "--input", CIFAR.resolve("png").toString(), "--layers", "12",
        "--output", dir.resolve("features").toString());

    assertEquals(ExitCodes.USAGE, r.code());
    assertEquals("depthprobe: --layers: layer 12 is outside 0..4 (the model has 4 blocks)", r.err().strip());
  }

  private static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
