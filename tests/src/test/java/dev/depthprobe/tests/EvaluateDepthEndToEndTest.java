package dev.depthprobe.tests;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.jobs.ExitCodes;
import dev.depthprobe.npy.Npy;
import dev.depthprobe.udfs.DepthRows;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evaluate-depth on a hand-made depth output and ground truth in both file formats. */
class EvaluateDepthEndToEndTest {
  /** 2x3 metres: 0 is invalid and 80 is not below --max-depth 80, so four pixels count. */
  private static final float[] GT = {2, 4, 5, 10, 0, 80};
  private static SparkCli cli;

  @TempDir
  Path dir;

  @BeforeAll
  static void startSpark() {
    cli = SparkCli.start(EvaluateDepthEndToEndTest.class);
  }

  @AfterAll
  static void stopSpark() {
    cli.close();
  }

  @Test
  void exactAndScaledPredictionsGiveHandComputedMetrics() throws IOException {
    Path gt = Files.createDirectories(dir.resolve("gt/drive"));
    writeKittiPng(gt.resolve("exact.png"), GT, 2, 3);
    Npy.writeFloat(gt.resolve("scaled.npy"), GT, 2, 3);
    float[] scaled = new float[GT.length];
    for (int i = 0; i < GT.length; i++) {
      scaled[i] = GT[i] * 1.1f;
    }
    String predictions = writePredictions(List.of(
        DepthRows.ok("drive/exact.jpg", "file:/x/exact.jpg", 3, 2, GT.clone(), 2, 3, 2, 3, "glpn", false, null),
        DepthRows.ok("drive/scaled.jpg", "file:/x/scaled.jpg", 3, 2, scaled, 2, 3, 2, 3, "glpn", false, null),
        DepthRows.ok("drive/orphan.jpg", "file:/x/orphan.jpg", 3, 2, GT.clone(), 2, 3, 2, 3, "glpn", false, null),
        DepthRows.error("drive/broken.jpg", "file:/x/broken.jpg", null, null, "glpn", false, "decode: truncated")));

    int code = evaluate("--predictions", predictions, "--ground-truth", dir.resolve("gt").toString(),
        "--output", dir.resolve("eval").toString()).code();

    assertEquals(ExitCodes.OK, code);
    Map<String, Row> perImage = perImage();
    Row exact = perImage.get("drive/exact.jpg");
    assertEquals("ok", exact.getAs("status"));
    assertEquals(4L, exact.<Long>getAs("valid_pixels"));
    assertEquals(0.0, exact.<Double>getAs("abs_rel"));
    assertEquals(0.0, exact.<Double>getAs("rmse"));
    assertEquals(1.0, exact.<Double>getAs("delta1"));
    Row scaledRow = perImage.get("drive/scaled.jpg");
    assertEquals(0.1, scaledRow.<Double>getAs("abs_rel"), 1e-6);
    assertEquals(0.0525, scaledRow.<Double>getAs("sq_rel"), 1e-6); // mean(0.01 * gt) over 2, 4, 5, 10
    assertEquals(0.1 * Math.sqrt(36.25), scaledRow.<Double>getAs("rmse"), 1e-6);
    assertEquals(Math.log(1.1), scaledRow.<Double>getAs("rmse_log"), 1e-6);
    assertEquals(Math.log10(1.1), scaledRow.<Double>getAs("log10"), 1e-6);
    assertEquals(0.0, scaledRow.<Double>getAs("silog"), 1e-3);
    assertEquals(1.0, scaledRow.<Double>getAs("delta1"));
    assertTrue(perImage.get("drive/orphan.jpg").<String>getAs("error").startsWith("no_ground_truth: "));
    assertTrue(perImage.get("drive/broken.jpg").<String>getAs("error").startsWith("prediction: "));

    JsonNode metrics = new ObjectMapper().readTree(dir.resolve("eval/metrics.json").toFile());
    assertEquals(0.05, metrics.path("mean").path("abs_rel").asDouble(), 1e-6);
    assertEquals(1.0, metrics.path("mean").path("delta1").asDouble());
    assertEquals(4, metrics.path("images").path("predictions").asInt());
    assertEquals(2, metrics.path("images").path("evaluated").asInt());
    assertEquals(1, metrics.path("images").path("not_evaluated_by_kind").path("no_ground_truth").asInt());
    assertEquals(1, metrics.path("images").path("not_evaluated_by_kind").path("prediction").asInt());
  }

  @Test
  void predictionsAtAnotherSizeThanTheGroundTruthStopTheJobWithOneLine() throws IOException {
    Path gt = Files.createDirectories(dir.resolve("gt"));
    Npy.writeFloat(gt.resolve("small.npy"), GT, 2, 3);
    String predictions = writePredictions(List.of(
        DepthRows.ok("small.jpg", "file:/x/small.jpg", 6, 4, new float[24], 4, 6, 4, 6, "glpn", false, null)));
    SparkCli.Result r = evaluate("--predictions", predictions, "--ground-truth", gt.toString(),
        "--output", dir.resolve("eval").toString());

    assertEquals(ExitCodes.USAGE, r.code());
    String message = r.err();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.contains("small.jpg: prediction 4x6, ground truth 2x3; predictions must be at the ground "
        + "truth's size"), message);
    assertFalse(Files.exists(dir.resolve("eval/metrics.json")));
  }

  @Test
  void theMaxDepthDefaultsToTheOneTheDepthJobRecordedAndAnOptionOverridesIt() throws IOException {
    Path gt = Files.createDirectories(dir.resolve("gt"));
    Npy.writeFloat(gt.resolve("room.npy"), GT, 2, 3);
    List<Row> rows = List.of(DepthRows.ok("room.jpg", "file:/x/room.jpg", 3, 2, GT.clone(), 2, 3, 2, 3, "glpn-nyu", false, null));
    String recorded = writePredictions("nyu", rows, DepthRows.depthMetadata(10));
    String unrecorded = writePredictions("other", rows, Metadata.empty());

    SparkCli.Result byModel = evaluate("--predictions", recorded, "--ground-truth", gt.toString(),
        "--output", dir.resolve("eval-nyu").toString());
    SparkCli.Result missing = evaluate("--predictions", unrecorded, "--ground-truth", gt.toString(),
        "--output", dir.resolve("eval-missing").toString());
    SparkCli.Result given = evaluate("--predictions", unrecorded, "--ground-truth", gt.toString(),
        "--output", dir.resolve("eval-given").toString(), "--max-depth", "10");

    assertEquals(ExitCodes.OK, byModel.code(), byModel.err());
    JsonNode metrics = new ObjectMapper().readTree(dir.resolve("eval-nyu/metrics.json").toFile());
    assertEquals(10.0, metrics.path("max_depth").asDouble());
    // ground truth 2, 4, 5 count; 10 and 80 are not below max_depth 10, 0 is invalid
    assertEquals(3, cli.spark().read().parquet(dir.resolve("eval-nyu/per_image").toString()).first()
        .<Long>getAs("valid_pixels").longValue());
    assertEquals(ExitCodes.USAGE, missing.code());
    assertEquals(1, missing.err().lines().count(), missing.err());
    assertTrue(missing.err().contains("no max_depth recorded with the depth column"), missing.err());
    assertEquals(ExitCodes.OK, given.code(), given.err());
    SparkCli.Result inverted = evaluate("--predictions", recorded, "--ground-truth", gt.toString(),
        "--output", dir.resolve("eval-inverted").toString(), "--min-depth", "20");
    assertEquals(ExitCodes.USAGE, inverted.code());
    assertEquals("depthprobe: need 0 < --min-depth < --max-depth, got 20.0 and 10.0", inverted.err().strip());
  }

  /** Writes the rows as a depth output holding one run, as the depth job lays it out (glpn-kitti's max_depth). */
  private String writePredictions(List<Row> rows) {
    return writePredictions("depth", rows, DepthRows.depthMetadata(80));
  }

  private String writePredictions(String name, List<Row> rows, Metadata depthMetadata) {
    String path = dir.resolve(name).toString();
    cli.spark().createDataFrame(rows, DepthRows.SCHEMA).withMetadata("depth", depthMetadata)
        .withColumn("run_id", lit("r1")).write().partitionBy("run_id").parquet(path);
    return path;
  }

  private Map<String, Row> perImage() {
    Map<String, Row> out = new HashMap<>();
    cli.spark().read().parquet(dir.resolve("eval/per_image").toString()).collectAsList()
        .forEach(r -> out.put(r.getAs("image_id"), r));
    return out;
  }

  /** KITTI depth: 16-bit grayscale PNG of metres * 256. */
  private static void writeKittiPng(Path file, float[] metres, int height, int width) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, Math.round(metres[y * width + x] * 256));
      }
    }
    ImageIO.write(image, "png", file.toFile());
  }

  private static SparkCli.Result evaluate(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "evaluate-depth";
    System.arraycopy(args, 0, command, 1, args.length);
    return cli.run(command);
  }
}
