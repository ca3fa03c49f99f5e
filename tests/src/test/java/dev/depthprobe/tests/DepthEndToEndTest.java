package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.jobs.ExitCodes;
import dev.depthprobe.npy.Npy;
import dev.depthprobe.npy.NpyArray;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code depthprobe depth} end to end on Spark local mode, through the CLI as a user runs it: the bundled
 * sample plus corrupt and odd files, reruns, a retried task, the bundled defaults, dry runs and mistakes.
 * One job over all the inputs runs first; most tests check one aspect of its output.
 */
class DepthEndToEndTest {
  static final Path SAMPLE = Path.of("../datasets/src/main/resources/sample");
  static final Path CORRUPT = Path.of("../model-core/src/test/resources/photos/corrupt");
  static final Path IMAGES = Path.of("../model-core/src/test/resources/fixtures/images");
  static final Path GLPN_TINY = Path.of("../model-core/src/test/resources/fixtures/glpn-tiny/model");
  static final Path IMAGEGPT_TINY = Path.of("../model-core/src/test/resources/fixtures/imagegpt-tiny/model");
  static final List<String> DEPTH_COLUMNS = List.of("image_id", "source", "width", "height", "depth",
      "depth_height", "depth_width", "depth_min", "depth_max", "depth_mean", "model", "status", "error", "png_name");
  /** image id -> expected status, or the kind of its error. */
  static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
      Map.entry("china_truncated_40pct.jpg", "decode"),
      Map.entry("rocket_exif_orientation6.jpg", "ok"),
      Map.entry("skimage_chelsea.png", "ok"),
      Map.entry("sklearn_flower.jpg", "ok"),
      Map.entry("tum_rgbd_office.png", "ok"),
      Map.entry("odd/not_an_image.jpg", "decode"),
      Map.entry("odd/empty.jpg", "decode"),
      Map.entry("odd/coffee_corrupt_idat.png", "decode"),
      Map.entry("odd/tiny_20x20.png", "preprocess"),
      Map.entry("odd/odd_97x123.png", "ok"),
      Map.entry("odd/gray_70x90.png", "ok"),
      Map.entry("odd/rgba_64x64.png", "ok")));

  @TempDir
  static Path dir;
  static SparkSession spark;
  private static SparkCli sparkCli;
  static Path input;
  static String output;
  static List<Row> mainRows;
  static String mainStdout;

  @BeforeAll
  static void runTheDepthJobOnce() throws IOException {
    // local[2,2]: two cores, and a failed task is retried once (the retry test needs it, with failing: output).
    sparkCli = SparkCli.start(DepthEndToEndTest.class, "local[2,2]", FailingWriteFileSystem.sparkConf());
    spark = sparkCli.spark();
    input = Files.createDirectories(dir.resolve("input"));
    try (var files = Files.list(SAMPLE)) {
      for (Path f : files.filter(p -> !p.toString().endsWith(".md")).toList()) {
        Files.copy(f, input.resolve(f.getFileName()));
      }
    }
    Path odd = Files.createDirectories(input.resolve("odd"));
    for (String f : List.of("not_an_image.jpg", "coffee_corrupt_idat.png")) {
      Files.copy(CORRUPT.resolve(f), odd.resolve(f));
    }
    for (String f : List.of("odd_97x123.png", "gray_70x90.png", "rgba_64x64.png")) {
      Files.copy(IMAGES.resolve(f), odd.resolve(f));
    }
    ImageIO.write(new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB), "png", odd.resolve("tiny_20x20.png").toFile());
    Files.write(odd.resolve("empty.jpg"), new byte[0]);

    output = dir.resolve("out").toString();
    SparkCli.Result main = depth("--input", input.toString(), "--model", GLPN_TINY.toString(), "--output", output,
        "--run-id", "main", "--partitions", "2", "--batch-size", "2", "--png-dir", dir.resolve("png").toString());
    assertEquals(ExitCodes.OK, main.code(), main.err());
    mainStdout = main.out();
    mainRows = runRows(output, "main");
  }

  @AfterAll
  static void stopSpark() {
    sparkCli.close();
  }

  @Test
  void everyInputFileIsOneRowWithTheRightStatus() {
    Map<String, String> actual = new TreeMap<>();
    for (Row r : mainRows) {
      String status = r.getAs("status");
      String error = r.getAs("error");
      actual.merge(r.getAs("image_id"), status.equals("ok") ? "ok" : error.substring(0, error.indexOf(':')),
          (a, b) -> "duplicate");
      if (status.equals("ok")) {
        assertNull(error);
      } else {
        assertEquals("error", status);
        assertEquals(1, error.lines().count(), error);
        assertNull(r.getAs("depth"));
      }
    }
    assertEquals(EXPECTED, actual);
  }

  @Test
  void anEmptyFileIsAnErrorRowSayingItIsEmpty() {
    String error = row("odd/empty.jpg").getAs("error");

    assertTrue(error.startsWith("decode: ") && error.contains("empty"), error);
  }

  @Test
  void outputSchemaIsAsDocumented() {
    List<String> fields = new ArrayList<>();
    for (StructField f : spark.read().parquet(output).schema().fields()) {
      fields.add(f.name() + " " + f.dataType().simpleString());
    }
    assertEquals(List.of("image_id string", "source string", "width int", "height int", "depth array<float>",
        "depth_height int", "depth_width int", "model_height int", "model_width int", "depth_min float",
        "depth_max float", "depth_mean float", "model string", "status string", "error string", "kb_crop boolean",
        "png_name string", "run_id string"), fields);
  }

  @Test
  void okRowsDescribeTheOriginalImageAndItsDepth() {
    Row rocket = row("rocket_exif_orientation6.jpg");
    assertEquals(640, (int) rocket.getAs("width"), "EXIF orientation 6 applied");
    assertEquals(427, (int) rocket.getAs("height"));
    assertEquals(427, (int) rocket.getAs("depth_height"), "original resolution by default");
    assertEquals(640, (int) rocket.getAs("depth_width"));
    float[] depth = floats(rocket);
    assertEquals(427 * 640, depth.length);
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    double sum = 0;
    for (float v : depth) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    assertEquals(min, (float) rocket.getAs("depth_min"));
    assertEquals(max, (float) rocket.getAs("depth_max"));
    assertEquals((float) (sum / depth.length), (float) rocket.getAs("depth_mean"));
    assertTrue(min > 0 && max < 10, "sigmoid * max_depth 10: " + min + ".." + max);
    String hash = Checkpoint.open(GLPN_TINY).contentHash();
    assertEquals("model@sha256:" + hash.substring(0, 12), rocket.getAs("model"));
    assertTrue(((String) rocket.getAs("source")).endsWith("/input/rocket_exif_orientation6.jpg"));

    Row tiny = row("odd/tiny_20x20.png");
    assertEquals(20, (int) tiny.getAs("width"), "an image that decoded keeps its size in an error row");
    assertNull(row("odd/not_an_image.jpg").getAs("width"), "an image that did not decode has no size");
  }

  @Test
  void depthEqualsPredictDepthOnTheSameImage() throws IOException {
    for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
      if (!e.getValue().equals("ok")) {
        continue;
      }
      Path npy = dir.resolve("predict-" + e.getKey().replace('/', '_') + ".npy");
      SparkCli.Result predict = run("predict-depth", "--model", GLPN_TINY.toString(), "--image",
          input.resolve(e.getKey()).toString(), "--out", npy.toString());
      assertEquals(ExitCodes.OK, predict.code(), predict.err());
      NpyArray expected = Npy.read(npy);
      Row r = row(e.getKey());
      assertArrayEquals(new long[] {(int) r.getAs("height"), (int) r.getAs("width")}, expected.shape(), e.getKey());
      float[] want = expected.toFloatArray();
      float[] got = floats(r);
      assertEquals(want.length, got.length, e.getKey());
      for (int i = 0; i < want.length; i++) {
        // A batch of two images of one size may differ from predict-depth's batch of one by a float rounding.
        assertEquals(want[i], got[i], 1e-5f, e.getKey() + " pixel " + i);
      }
    }
  }

  @Test
  void depthMatchesTransformersOnTheFixtureImages() throws IOException {
    Path cases = GLPN_TINY.resolveSibling("cases");
    Map<String, String> golden = Map.of("odd/odd_97x123.png", "odd_97x123", "odd/gray_70x90.png", "gray_70x90_rgb",
        "odd/rgba_64x64.png", "rgba_64x64_rgb");
    golden.forEach((imageId, name) -> {
      float[] want;
      try {
        want = Npy.read(cases.resolve(name).resolve("depth_original_size.npy")).toFloatArray();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      float[] got = floats(row(imageId));
      assertEquals(want.length, got.length, imageId);
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], got[i], 1e-4f, imageId + " pixel " + i + " (the fixture's recommended tolerance)");
      }
    });
  }

  @Test
  void summaryCountsMatchTheRows() throws IOException {
    JsonNode summary = new ObjectMapper().readTree(Path.of(output, "run_id=main", "_summary.json").toFile());
    SummaryCounts.assertCountsRows(Path.of(output, "run_id=main"), mainRows);
    assertEquals(4, summary.at("/error_kinds/decode").asLong());
    assertEquals(1, summary.at("/error_kinds/preprocess").asLong());
    assertEquals(Checkpoint.open(GLPN_TINY).contentHash(), summary.at("/model/content_hash").asText());
    assertEquals(spark.version(), summary.get("spark_version").asText());
    assertEquals("main", summary.get("run_id").asText());
    assertTrue(summary.get("images_per_second").asDouble() > 0);
    assertTrue(Files.exists(Path.of(output, "run_id=main", "_SUCCESS")));
    assertTrue(mainStdout.contains("Wrote 12 rows (7 ok, 5 error) to file:" + output + "/run_id=main"), mainStdout);
  }

  @Test
  void pngsAreWrittenForEveryOkImage() throws IOException {
    for (Row r : mainRows) {
      String id = r.getAs("image_id");
      if (!r.getAs("status").equals("ok")) {
        assertNull(r.getAs("png_name"), id);
        assertFalse(Files.exists(dir.resolve("png/run_id=main/kitti16").resolve(id + ".png")), id);
        continue;
      }
      String name = r.getAs("png_name");
      assertEquals(id + ".png", name);
      Path kitti = dir.resolve("png/run_id=main/kitti16").resolve(name);
      Path color = dir.resolve("png/run_id=main/color").resolve(name);
      Raster png = ImageIO.read(kitti.toFile()).getRaster();
      float[] depth = floats(r);
      int w = r.getAs("depth_width");
      assertEquals(w, png.getWidth());
      for (int i = 0; i < depth.length; i += 97) {
        assertEquals(Math.rint(depth[i] * 256.0), png.getSample(i % w, i / w, 0), id + " pixel " + i);
      }
      BufferedImage colormap = ImageIO.read(color.toFile());
      assertEquals(w, colormap.getWidth(), id);
      assertEquals(3, colormap.getRaster().getNumBands(), id);
    }
  }

  @Test
  void rerunWithTheSameRunIdReplacesOnlyThatPartition() {
    String out = dir.resolve("reruns").toString();
    String odd = input.resolve("odd").toString();
    assertEquals(ExitCodes.OK, depth("--input", odd, "--model", GLPN_TINY.toString(), "--output", out,
        "--run-id", "a", "--depth-resolution", "model").code());
    assertEquals(ExitCodes.OK, depth("--input", odd, "--model", GLPN_TINY.toString(), "--output", out,
        "--run-id", "b", "--depth-resolution", "model", "--limit", "2").code());
    assertEquals(Map.of("a", 7L, "b", 2L), rowsPerRun(out));

    assertEquals(ExitCodes.OK, depth("--input", odd, "--model", GLPN_TINY.toString(), "--output", out,
        "--run-id", "a", "--depth-resolution", "model", "--limit", "1").code());
    assertEquals(Map.of("a", 1L, "b", 2L), rowsPerRun(out));
    Row modelSize = runRows(out, "b").stream().filter(r -> r.getAs("status").equals("ok")).findFirst().orElseThrow();
    assertEquals((int) modelSize.getAs("height") / 32 * 32, (int) modelSize.getAs("depth_height"),
        "--depth-resolution model keeps the model's size");
  }

  @Test
  void parquetAndSparkImageInputsAreReadThroughTheirOptions() throws IOException {
    Path table = dir.resolve("table");
    List<Row> images = new ArrayList<>();
    for (String f : List.of("odd_97x123.png", "gray_70x90.png")) {
      images.add(RowFactory.create("photo-" + f, Files.readAllBytes(IMAGES.resolve(f))));
    }
    spark.createDataFrame(images, new StructType().add("name", DataTypes.StringType).add("img", DataTypes.BinaryType))
        .write().parquet(table.toString());
    String out = dir.resolve("formats").toString();

    SparkCli.Result parquet = depth("--input", table.toString(), "--input-format", "parquet", "--image-column", "img",
        "--id-column", "name", "--model", GLPN_TINY.toString(), "--output", out, "--run-id", "parquet");
    SparkCli.Result sparkImage = depth("--input", input.resolve("odd").toString(), "--input-format", "spark-image",
        "--model", GLPN_TINY.toString(), "--output", out, "--run-id", "spark-image");

    assertEquals(ExitCodes.OK, parquet.code(), parquet.err());
    Map<String, Row> byId = runRows(out, "parquet").stream()
        .collect(Collectors.toMap(r -> r.getAs("image_id"), r -> r));
    assertEquals(Set.of("photo-odd_97x123.png", "photo-gray_70x90.png"), byId.keySet());
    assertArrayEquals(floats(row("odd/odd_97x123.png")), floats(byId.get("photo-odd_97x123.png")));
    assertEquals(ExitCodes.OK, sparkImage.code(), sparkImage.err());
    Map<String, String> statuses = runRows(out, "spark-image").stream()
        .collect(Collectors.toMap(r -> r.getAs("image_id"), r -> r.getAs("status")));
    assertEquals("ok", statuses.get("odd_97x123.png"));
    assertEquals("error", statuses.get("not_an_image.jpg"));
    assertEquals("error", statuses.get("empty.jpg"), "an empty file keeps its row, as with the other formats");
    assertEquals(7, statuses.size());
  }

  @Test
  void sparkImageInputKeepsTheMaxImagePixelsLimit() {
    String out = dir.resolve("spark-image-limit").toString();
    // odd_97x123.png has 11,931 pixels, rgba_64x64.png 4,096
    SparkCli.Result job = depth("--input", input.resolve("odd").toString(), "--input-format", "spark-image",
        "--model", GLPN_TINY.toString(), "--output", out, "--run-id", "limit", "--max-image-pixels", "10000");

    assertEquals(ExitCodes.OK, job.code(), job.err());
    Map<String, Row> byId = runRows(out, "limit").stream().collect(Collectors.toMap(r -> r.getAs("image_id"), r -> r));
    String error = byId.get("odd_97x123.png").getAs("error");
    assertTrue(error != null && error.startsWith("decode: ") && error.contains("too many pixels"), error);
    assertEquals("ok", byId.get("rgba_64x64.png").getAs("status"));
    assertEquals(7, byId.size(), "one row per input");
  }

  @Test
  void aFileTooLargeToReadIsAnErrorRowAndTheRunGoesOn() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("huge-input"));
    Files.copy(input.resolve("odd/rgba_64x64.png"), folder.resolve("rgba_64x64.png"));
    // 2.5 GB, sparse: Spark's binaryFile source cannot hold it, and failed the whole job on it
    try (RandomAccessFile huge = new RandomAccessFile(folder.resolve("huge.jpg").toFile(), "rw")) {
      huge.setLength(2_500_000_000L);
    }
    String out = dir.resolve("huge").toString();

    SparkCli.Result job = depth("--input", folder.toString(), "--model", GLPN_TINY.toString(), "--output", out,
        "--run-id", "huge");

    assertEquals(ExitCodes.OK, job.code(), job.err());
    Map<String, Row> byId = runRows(out, "huge").stream().collect(Collectors.toMap(r -> r.getAs("image_id"), r -> r));
    assertEquals("decode: huge.jpg: file of 2500000000 bytes is over the limit of 1431655760 (8 bytes a pixel of "
        + "the pixel limit); not read", byId.get("huge.jpg").getAs("error"));
    assertEquals("ok", byId.get("rgba_64x64.png").getAs("status"));
    assertEquals(2, byId.size(), "one row per input");
  }

  @Test
  void aTaskThatFailsItsFirstAttemptIsRetriedWithTheSameOutput() throws IOException {
    AtomicInteger failedTasks = new AtomicInteger();
    SparkListener listener = new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.reason() instanceof TaskFailedReason) {
          failedTasks.incrementAndGet();
        }
      }
    };
    spark.sparkContext().addSparkListener(listener);
    FailingWriteFileSystem.failNextPartFile();
    try {
      SparkCli.Result retried = depth("--input", input.toString(), "--model", GLPN_TINY.toString(), "--output",
          FailingWriteFileSystem.uri(Path.of(output)), "--run-id", "retried", "--partitions", "2", "--batch-size", "2");
      assertEquals(ExitCodes.OK, retried.code(), retried.err());
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    assertFalse(FailingWriteFileSystem.armed(), "a part file's write failed");
    assertEquals(1, failedTasks.get(), "the failed write failed one task attempt");
    assertEquals(comparable(mainRows), comparable(runRows(output, "retried")));
    SummaryCounts.assertCountsRows(Path.of(output, "run_id=retried"), runRows(output, "retried"));
    JsonNode summary = new ObjectMapper().readTree(Path.of(output, "run_id=retried", "_summary.json").toFile());
    assertTrue(summary.get("models_built").asLong() <= 1, "at most one model build for the job's tasks, retry too: "
        + summary.get("models_built"));
  }

  @Test
  void aRerunThatReadsNoRowsReplacesThePartitionWithAnEmptyOne() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("no-images"));
    String out = dir.resolve("rerun-empty").toString();
    SparkCli.Result first = depth("--input", input.resolve("odd").toString(), "--model", GLPN_TINY.toString(),
        "--output", out, "--run-id", "r");
    assertEquals(ExitCodes.OK, first.code(), first.err());
    assertEquals(7, runRows(out, "r").size());

    SparkCli.Result rerun = depth("--input", empty.toString(), "--model", GLPN_TINY.toString(), "--output", out,
        "--run-id", "r");

    assertEquals(ExitCodes.OK, rerun.code(), rerun.err());
    assertEquals(List.of(), runRows(out, "r"));
    JsonNode summary = new ObjectMapper().readTree(Path.of(out, "run_id=r", "_summary.json").toFile());
    assertEquals(0, summary.at("/images/total").asLong());
    SummaryCounts.assertCountsRows(Path.of(out, "run_id=r"), List.of());
    assertTrue(Files.exists(Path.of(out, "run_id=r", "_SUCCESS")));
  }

  @Test
  void collidingStemsGetDistinctPngsUnderTheRunFolder() throws IOException {
    Path images = Files.createDirectories(dir.resolve("stems"));
    Files.copy(IMAGES.resolve("odd_97x123.png"), images.resolve("a.png"));
    BufferedImage rgb = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(10, 10, 0xff8040);
    ImageIO.write(rgb, "jpg", images.resolve("a.jpg").toFile());
    Path png = dir.resolve("stems-png");
    String out = dir.resolve("stems-out").toString();

    SparkCli.Result r = depth("--input", images.toString(), "--model", GLPN_TINY.toString(), "--output", out,
        "--run-id", "s", "--png-dir", png.toString());

    assertEquals(ExitCodes.OK, r.code(), r.err());
    Map<String, String> names = runRows(out, "s").stream()
        .collect(Collectors.toMap(row -> row.getAs("image_id"), row -> row.getAs("png_name")));
    assertEquals(Map.of("a.png", "a.png.png", "a.jpg", "a.jpg.png"), names);
    for (String name : names.values()) {
      assertTrue(Files.isRegularFile(png.resolve("run_id=s/kitti16").resolve(name)), name);
      assertTrue(Files.isRegularFile(png.resolve("run_id=s/color").resolve(name)), name);
    }
  }

  @Test
  void anOutputOrPngFolderInsideTheInputIsRefusedInOneLine() {
    Path images = input.resolve("odd");
    SparkCli.Result output = depth("--input", images.toString(), "--model", GLPN_TINY.toString(), "--output",
        images.resolve("out").toString());
    SparkCli.Result png = depth("--input", images.toString(), "--model", GLPN_TINY.toString(), "--output",
        dir.resolve("inside-out").toString(), "--png-dir", images.resolve("png").toString());

    assertEquals(ExitCodes.USAGE, output.code(), output.err());
    assertEquals(1, output.err().lines().count(), output.err());
    assertTrue(output.err().contains("--output " + images.resolve("out") + " is inside --input " + images),
        output.err());
    assertEquals(ExitCodes.USAGE, png.code(), png.err());
    assertEquals(1, png.err().lines().count(), png.err());
    assertTrue(png.err().contains("--png-dir " + images.resolve("png") + " is inside --input"), png.err());
    assertFalse(Files.exists(images.resolve("out")));
  }

  @Test
  void withoutArgumentsTheBundledSampleRunsThroughTheBundledModel() {
    String out = dir.resolve("defaults").toString();
    SparkCli.Result cli = depth("--output", out, "--run-id", "defaults");
    assertEquals(ExitCodes.OK, cli.code(), cli.err());
    Map<String, String> statuses = runRows(out, "defaults").stream()
        .collect(Collectors.toMap(r -> r.getAs("image_id"), r -> r.getAs("status")));
    assertEquals(Map.of("china_truncated_40pct.jpg", "error", "rocket_exif_orientation6.jpg", "ok",
        "skimage_chelsea.png", "ok", "sklearn_flower.jpg", "ok", "tum_rgbd_office.png", "ok"), statuses);
    assertTrue(runRows(out, "defaults").get(0).<String>getAs("model").startsWith("glpn-tiny@sha256:"));
  }

  @Test
  void dryRunChecksAndPrintsThePlanAndWritesNothing() {
    String out = dir.resolve("dry").toString();
    SparkCli.Result cli = depth("--input", input.toString(), "--model", GLPN_TINY.toString(), "--output", out,
        "--dry-run", "--run-id", "dry");
    assertEquals(ExitCodes.OK, cli.code(), cli.err());
    assertTrue(cli.out().contains("12 images"), cli.out());
    assertTrue(cli.out().contains(out + "/run_id=dry"), cli.out());
    assertFalse(Files.exists(Path.of(out)));
  }

  @Test
  void mistakesAreOneLineUsageErrors() {
    assertUsageError(depth("--input", dir.resolve("missing").toString(), "--model", GLPN_TINY.toString(),
        "--output", dir.resolve("x").toString()), "missing: no such file or folder");
    assertUsageError(depth("--input", input.toString(), "--model", IMAGEGPT_TINY.toString(),
        "--output", dir.resolve("x").toString()), "model_type is 'imagegpt', expected 'glpn'");
    assertUsageError(depth("--model", dir.resolve("no-model").toString()), "no-model");
    assertUsageError(depth("--batch-size", "0"), "--batch-size must be at least 1, got 0");
    assertUsageError(depth("--run-id", "../up"), "--run-id '../up'");
    assertUsageError(depth("--depth-resolution", "huge"), "--depth-resolution");
    assertFalse(Files.exists(dir.resolve("x")));
  }

  @Test
  void helpListsEveryOption() {
    SparkCli.Result help = depth("--help");
    assertEquals(ExitCodes.OK, help.code());
    for (String option : List.of("--input", "--input-format", "--image-column", "--id-column", "--model", "--output",
        "--run-id", "--batch-size", "--depth-resolution", "--png-dir", "--limit", "--partitions", "--dry-run",
        "--threads", "--stacktrace", "-C")) {
      assertTrue(help.out().contains(option + " ") || help.out().contains(option + "="), option);
    }
  }

  private static void assertUsageError(SparkCli.Result cli, String message) {
    assertEquals(ExitCodes.USAGE, cli.code(), cli.err());
    assertTrue(cli.err().contains(message), cli.err());
    assertTrue(cli.err().lines().count() <= 2, cli.err());
  }

  private static Row row(String imageId) {
    return mainRows.stream().filter(r -> r.getAs("image_id").equals(imageId)).findFirst().orElseThrow();
  }

  private static float[] floats(Row r) {
    List<Float> list = r.getList(r.fieldIndex("depth"));
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  private static List<Row> runRows(String out, String runId) {
    return spark.read().parquet(out + "/run_id=" + runId).selectExpr(DEPTH_COLUMNS.toArray(String[]::new))
        .collectAsList();
  }

  private static Map<String, Long> rowsPerRun(String out) {
    Map<String, Long> counts = new TreeMap<>();
    for (Row r : spark.read().parquet(out).groupBy("run_id").count().collectAsList()) {
      counts.put(String.valueOf(r.get(0)), r.getLong(1));
    }
    return counts;
  }

  /** Rows by image id, each as its column values (arrays as lists), to compare two runs exactly. */
  private static Map<String, List<Object>> comparable(List<Row> rows) {
    Map<String, List<Object>> out = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    rows.stream().sorted((a, b) -> a.<String>getAs("image_id").compareTo(b.getAs("image_id"))).forEach(r -> {
      assertTrue(seen.add(r.getAs("image_id")), "duplicate " + r.getAs("image_id"));
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        if (i == r.fieldIndex("png_name")) { // only runs with --png-dir write PNGs
          continue;
        }
        values.add(r.isNullAt(i) || i != r.fieldIndex("depth") ? r.get(i) : r.getList(i));
      }
      out.put(r.getAs("image_id"), values);
    });
    return out;
  }

  static SparkCli.Result depth(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "depth";
    System.arraycopy(args, 0, command, 1, args.length);
    return run(command);
  }

  static SparkCli.Result run(String... args) {
    return sparkCli.run(args);
  }
}
