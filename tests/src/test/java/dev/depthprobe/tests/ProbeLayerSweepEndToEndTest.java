package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.jobs.ExitCodes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * features --layers all, then probe --layers, on every layer of the bundled tiny ImageGPT (random weights,
 * 4 blocks) over the bundled CIFAR-10 subset's 300 training PNGs.
 */
class ProbeLayerSweepEndToEndTest {
  private static final Path PNG = Path.of("../datasets/src/test/resources/cifar10/png");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkCli cli;

  @TempDir
  static Path dir;
  private static String features;

  @BeforeAll
  static void extractEveryLayer() {
    cli = SparkCli.start(ProbeLayerSweepEndToEndTest.class);
    features = dir.resolve("features").toString();
    var r = cli.run("features", "--input", PNG.toString(), "--input-format", "class-folders", "--split-dirs",
        "train", "--layers", "all", "--output", features, "--run-id", "r1", "--batch-size", "32");
    assertEquals(ExitCodes.OK, r.code(), r.err());
  }

  @AfterAll
  static void stopSpark() {
    cli.close();
  }

  @Test
  void layersAllProbesEveryLayerOnTheSameSplitAndWritesTheSweepJsonAndPicture() throws IOException {
    var r = cli.run("probe", "--train", features, "--test-fraction", "0.3", "--layers", "all", "--output",
        dir.resolve("sweep").toString(), "--run-id", "s1", "--reg-params", "0.01,1", "--max-iter", "20");

    assertEquals(ExitCodes.OK, r.code(), r.err());
    Path run = dir.resolve("sweep/run_id=s1");
    JsonNode sweep = JSON.readTree(run.resolve("layer_sweep.json").toFile());
    assertEquals(List.of("layers", "best_layer"), names(sweep));
    assertEquals(5, sweep.path("layers").size());
    double bestAccuracy = -1;
    List<String> testImages = null;
    for (int layer = 0; layer <= 4; layer++) {
      JsonNode entry = sweep.path("layers").get(layer);
      assertEquals(layer, entry.path("layer").asInt());
      JsonNode metrics = JSON.readTree(run.resolve("layer=" + layer + "/metrics.json").toFile());
      assertEquals(layer, metrics.path("layer").asInt());
      assertEquals(metrics.path("accuracy").asDouble(), entry.path("accuracy").asDouble());
      assertEquals(metrics.path("macro_f1").asDouble(), entry.path("macro_f1").asDouble());
      assertEquals(metrics.path("regularisation").path("chosen").asDouble(), entry.path("reg_param").asDouble());
      assertEquals(List.of(0.01, 1.0), doubles(metrics.path("regularisation").path("grid")));
      assertTrue(Files.isDirectory(run.resolve("layer=" + layer + "/model/stages")));
      // the same held-out images at every layer
      List<String> ids = cli.spark().read().parquet(run.resolve("layer=" + layer + "/predictions").toString())
          .select("image_id").orderBy("image_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
      if (testImages == null) {
        testImages = ids;
      }
      assertEquals(testImages, ids, "test images of layer " + layer);
      bestAccuracy = Math.max(bestAccuracy, entry.path("accuracy").asDouble());
    }
    // round(0.3 n) of each class's n images: 7 + 13 + 8 + 9 + 8 + 8 + 11 + 8 + 8 + 11
    assertEquals(91, testImages.size());
    int best = sweep.path("best_layer").asInt();
    assertEquals(bestAccuracy, sweep.path("layers").get(best).path("accuracy").asDouble());
    BufferedImage png = ImageIO.read(run.resolve("layer_sweep.png").toFile());
    assertEquals(720, png.getWidth());
    assertTrue(Files.exists(run.resolve("_SUCCESS")));
    assertTrue(r.out().contains("<- best"), r.out());

    // the report of the sweep: its chart, and the best layer's confusion matrix
    Path report = dir.resolve("sweep-report");
    var shown = cli.run("report", "--run", run.toString(), "--output", report.toString());
    assertEquals(ExitCodes.OK, shown.code(), shown.err());
    String html = Files.readString(report.resolve("index.html"));
    assertTrue(html.contains("Best layer " + best), html);
    try (var files = Files.walk(report)) {
      List<String> written = files.map(f -> f.getFileName().toString()).toList();
      for (String image : List.of("layer_sweep.png", "confusion_layer" + best + ".png")) {
        assertTrue(html.contains(image), image);
        assertTrue(written.contains(image), image + " in " + written);
      }
    }
  }

  @Test
  void aListOfLayersProbesThoseOnly() throws IOException {
    var r = cli.run("probe", "--train", features, "--test-fraction", "0.3", "--layers", "3,1", "--output",
        dir.resolve("two").toString(), "--run-id", "s2", "--reg-params", "1", "--max-iter", "20");

    assertEquals(ExitCodes.OK, r.code(), r.err());
    JsonNode sweep = JSON.readTree(dir.resolve("two/run_id=s2/layer_sweep.json").toFile());
    assertEquals(1, sweep.path("layers").get(0).path("layer").asInt());
    assertEquals(3, sweep.path("layers").get(1).path("layer").asInt());
    assertTrue(Files.notExists(dir.resolve("two/run_id=s2/layer=2")));
  }

  @Test
  void aLayerTheTableDoesNotHoldIsOneLineAndExitCode2() {
    var r = cli.run("probe", "--train", features, "--test-fraction", "0.3", "--layers", "2,7", "--output",
        dir.resolve("bad").toString());

    assertEquals(ExitCodes.USAGE, r.code());
    assertEquals("depthprobe: --train " + features + ": has no layer 7 (layers: [0, 1, 2, 3, 4])", r.err().strip());
  }

  @Test
  void layerAndLayersTogetherAreRefused() {
    var r = cli.run("probe", "--train", features, "--test-fraction", "0.3", "--layer", "2", "--layers", "all",
        "--output", dir.resolve("bad").toString());

    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("mutually exclusive"), r.err());
  }

  @Test
  void aTableWithoutLabelsSaysHowToGetThem() throws IOException {
    Path flat = ImageFolder.of(dir.resolve("flat"), PNG.resolve("train/cat/00009.png"),
        PNG.resolve("test/dog/00012.png"));
    String unlabelled = dir.resolve("unlabelled").toString();
    assertEquals(ExitCodes.OK, cli.run("features", "--input", flat.toString(), "--layers", "2", "--output",
        unlabelled, "--run-id", "u").code());

    var r = cli.run("probe", "--train", unlabelled, "--test-fraction", "0.5", "--output",
        dir.resolve("u-probe").toString());

    assertEquals(ExitCodes.USAGE, r.code());
    String err = r.err().strip();
    assertTrue(err.startsWith("depthprobe: --train " + unlabelled + ": none of its 2 ok rows at layer 2 has a label"),
        err);
    assertTrue(err.contains("--input-format class-folders") && err.contains("--label-column"), err);
  }

  @Test
  void featuresOnClassFoldersReadAsFilesSaysWhatItFoundAndHowToGetLabels() {
    var r = cli.run("features", "--input", PNG.resolve("train").toString(), "--layers", "1", "--output",
        dir.resolve("hint").toString(), "--dry-run");

    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertTrue(r.err().contains("depthprobe: note: --input " + PNG.resolve("train") + ": all 300 images sit one "
        + "level down in 10 sub-folders (airplane, automobile, bird, cat, deer, ...); read as files they get no "
        + "label. To label each image with its sub-folder's name (and probe them), add --input-format "
        + "class-folders."), r.err());

    var classFolders = cli.run("features", "--input", PNG.resolve("train").toString(), "--input-format",
        "class-folders", "--layers", "1", "--output", dir.resolve("hint").toString(), "--dry-run");
    assertEquals(ExitCodes.OK, classFolders.code(), classFolders.err());
    assertTrue(!classFolders.err().contains("note:"), classFolders.err());
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asDouble()));
    return values;
  }
}
