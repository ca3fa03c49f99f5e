package dev.depthprobe.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.partition.ImageLimits;
import dev.depthprobe.udfs.device.TaskDevice;
import dev.depthprobe.udfs.distribution.DistributionPlan;
import dev.depthprobe.udfs.distribution.ModelDistribution;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The depth partition function on local[2]: one row per input row whatever fails, one model per JVM. */
class DepthPartitionFunctionTest {
  static final Path GLPN_TINY = Path.of("../model-core/src/test/resources/fixtures/glpn-tiny/model");
  static final StructType INPUT = new StructType().add("image_id", DataTypes.StringType)
      .add("source", DataTypes.StringType).add("content", DataTypes.BinaryType);

  @TempDir
  static Path tmp;
  static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder().master("local[2]").appName("DepthPartitionFunctionTest")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void everyInputRowGivesOneRowAndFailuresAreErrorRowsOfTheirKind() throws IOException {
    ModelSource model = model(GLPN_TINY);
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "test");
    List<Row> input = List.of(
        row("a.png", png(64, 96)), row("b.png", png(64, 96)), row("c.png", png(70, 90)),
        row("tiny.png", png(20, 20)), row("text.jpg", "not an image".getBytes()), row("none.png", null));

    Map<String, Row> out = run(model, input, 2, true, counters, false);

    assertEquals(6, out.size());
    assertOk(out.get("a.png"), 96, 64, 96, 64);
    assertOk(out.get("b.png"), 96, 64, 96, 64);
    assertOk(out.get("c.png"), 90, 70, 90, 70);
    assertError(out.get("tiny.png"), "preprocess: height and width must be > 0 (image 20x20 is smaller than "
        + "size_divisor 32)");
    assertEquals(20, (int) out.get("tiny.png").getAs("width"));
    assertTrue(((String) out.get("text.jpg").getAs("error")).startsWith("decode: text.jpg: "));
    assertNull(out.get("text.jpg").getAs("width"));
    assertEquals("decode: none.png: cannot decode image: empty input (0 bytes)", out.get("none.png").getAs("error"));
    assertEquals(3, counters.ok());
    assertEquals(3, counters.failed());
    assertEquals(Map.of("decode", 2L, "preprocess", 1L), counters.failedByKind());
    assertTrue(counters.modelMillis() >= 0);
    assertTrue(counters.modelsBuilt() <= 1, "one model for both tasks of this JVM: " + counters.modelsBuilt());
    assertTrue(ModelCache.keys().contains(TaskDevice.cacheKey(model.key(), "cpu")));
  }

  @Test
  void aBatchTheModelRejectsBecomesOneModelErrorPerImage() throws IOException {
    // Same config.json and weights as GLPN_TINY, another preprocessor_config.json: another cache entry.
    // Without resizing, sizes that are not multiples of 32 reach the model, which rejects them.
    Path noResize = Files.createDirectories(tmp.resolve("no-resize"));
    for (String f : List.of("config.json", "model.safetensors")) {
      Files.copy(GLPN_TINY.resolve(f), noResize.resolve(f));
    }
    Files.writeString(noResize.resolve("preprocessor_config.json"),
        "{\"image_processor_type\": \"GLPNImageProcessor\", \"do_resize\": false, \"size_divisor\": 32}");
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "test");

    Map<String, Row> out = run(model(noResize), List.of(row("odd1.png", png(40, 40)), row("odd2.png", png(40, 40)),
        row("fine.png", png(64, 64))), 4, false, counters, false);

    assertOk(out.get("fine.png"), 64, 64, 64, 64);
    for (String id : List.of("odd1.png", "odd2.png")) {
      String error = out.get(id).getAs("error");
      assertTrue(error.startsWith("model: GLPN cannot run on 40x40 pixels"), error);
      assertEquals(1, error.lines().count());
    }
    assertEquals(2, counters.failed());
    assertEquals(Map.of("model", 2L), counters.failedByKind());
  }

  @Test
  void aModelBuiltAheadInTheDriversJvmIsTheOneItsTasksTake() throws IOException {
    ModelSource model = model(copyWithOwnKey("built-ahead"));
    String key = TaskDevice.cacheKey(model.key(), "cpu");
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "test");
    assertFalse(ModelCache.keys().contains(key));

    DepthPartitionFunction.buildAhead(model, settings(Device.CPU), counters);

    assertTrue(ModelCache.keys().contains(key));
    assertEquals(1, counters.modelsBuilt());
    Map<String, Row> out = run(model, List.of(row("a.png", png(64, 96)), row("b.png", png(64, 64))), 2, true,
        counters, false);
    assertOk(out.get("a.png"), 96, 64, 96, 64);
    assertOk(out.get("b.png"), 64, 64, 64, 64);
    assertEquals(1, counters.modelsBuilt(), "the tasks took the model built ahead");
  }

  @Test
  void nothingIsBuiltAheadForAGpu() throws IOException {
    ModelSource model = model(copyWithOwnKey("gpu-not-ahead"));
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "test");

    DepthPartitionFunction.buildAhead(model, settings(Device.GPU), counters);

    assertFalse(ModelCache.keys().contains(TaskDevice.cacheKey(model.key(), "cpu")));
    assertEquals(0, counters.modelsBuilt());
  }

  @Test
  void theDeviceBatchQueueSharedByBothTasksGivesTheRowsOfTheDirectPath() throws IOException {
    ModelSource model = model(GLPN_TINY);
    List<Row> input = List.of(
        row("a.png", png(64, 96)), row("b.png", png(64, 96)), row("c.png", png(64, 96)), row("d.png", png(70, 90)),
        row("e.png", png(70, 90)), row("f.png", png(33, 40)), row("tiny.png", png(20, 20)),
        row("text.jpg", "not an image".getBytes()));
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "test");

    Map<String, Row> direct = run(model, input, 2, true, counters, false);
    long queuesBefore = BatchQueueThreads.alive();
    Map<String, Row> queued = run(model, input, 2, true, counters, true);

    assertEquals(direct.keySet(), queued.keySet());
    SameRows.assertSameRows(List.copyOf(direct.values()), List.copyOf(queued.values()));
    assertEquals(queuesBefore + 1, BatchQueueThreads.alive(), "one queue for the tasks of this JVM");
  }

  @Test
  void withTheKbCropTheModelSeesTheCropAndASmallerImageIsAPreprocessError() throws IOException {
    ModelSource model = model(GLPN_TINY);
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "test");
    BufferedImage kitti = image(375, 1242);
    // the KB crop: the bottom 352 rows, the middle 1216 columns
    BufferedImage crop = kitti.getSubimage((1242 - 1216) / 2, 375 - 352, 1216, 352);

    Map<String, Row> cropped = run(model, List.of(row("kitti.png", png(kitti)), row("small.png", png(300, 1300))), 2,
        true, true, counters, false);
    Map<String, Row> plain = run(model, List.of(row("crop.png", png(crop))), 2, true, false, counters, false);

    assertOk(cropped.get("kitti.png"), 1242, 375, 1216, 352);
    assertTrue(cropped.get("kitti.png").<Boolean>getAs("kb_crop"));
    assertEquals(plain.get("crop.png").getList(plain.get("crop.png").fieldIndex("depth")),
        cropped.get("kitti.png").getList(cropped.get("kitti.png").fieldIndex("depth")));
    assertFalse(plain.get("crop.png").<Boolean>getAs("kb_crop"));
    assertError(cropped.get("small.png"), "preprocess: the KB crop needs at least 352x1216 (height x width), got "
        + "300x1300");
  }

  @Test
  void admissionRefusesFromTheHeaderAnImageOverTheTasksMemoryOrSeconds() throws IOException {
    ModelSource model = model(GLPN_TINY);
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "test");
    List<Row> input = List.of(row("a.png", png(64, 96)), row("text.jpg", "not an image".getBytes()));

    Map<String, Row> memory = run(model, input, new ImageLimits(ImageLoader.DEFAULT_MAX_PIXELS, 1 << 20, 1800, 0),
        counters);
    Map<String, Row> seconds = run(model, input, new ImageLimits(ImageLoader.DEFAULT_MAX_PIXELS, 0, 1e-9, 0),
        counters);

    String refused = memory.get("a.png").getAs("error");
    assertTrue(refused.startsWith("resource: a.png 96x64 needs about "), refused);
    assertTrue(refused.contains("but the task's budget is 1 MiB in all (--max-task-memory)"), refused);
    assertNull(memory.get("a.png").getAs("width"), "refused before decoding");
    String slow = seconds.get("a.png").getAs("error");
    assertTrue(slow.startsWith("resource: a.png 96x64 needs about ") && slow.contains("--max-image-seconds"), slow);
    // an unreadable header is not admission's to judge: decoding names the problem
    assertTrue(((String) memory.get("text.jpg").getAs("error")).startsWith("decode: "));
  }

  @Test
  void withAModelPixelLimitALargeImageIsShrunkForTheModelAndItsDepthIsAtItsSize() throws IOException {
    ModelSource model = model(GLPN_TINY);
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "test");
    List<Row> input = List.of(row("large.png", png(240, 320)), row("small.png", png(64, 96)));

    Map<String, Row> out = run(model, input, 20_000, ImageLimits.ofPixels(ImageLoader.DEFAULT_MAX_PIXELS), counters);

    // 240x320 processes to 224x320 (71,680 pixels): shrunk to 96x160 within 20,000, as predict-depth does
    assertOk(out.get("large.png"), 320, 240, 320, 240);
    assertEquals(96, (int) out.get("large.png").getAs("model_height"));
    assertEquals(160, (int) out.get("large.png").getAs("model_width"));
    assertEquals(64, (int) out.get("small.png").getAs("model_height"), "within the limit: as it is");
  }

  private static Map<String, Row> run(ModelSource model, List<Row> input, ImageLimits limits,
      ImageCounters counters) {
    return run(model, input, 0, limits, counters);
  }

  private static Map<String, Row> run(ModelSource model, List<Row> input, long maxModelPixels, ImageLimits limits,
      ImageCounters counters) {
    List<Row> rows = spark.createDataFrame(input, INPUT).repartition(1)
        .mapPartitions(DepthPartitionFunction.depthRows(model, new DepthTaskSettings(2, true, false, maxModelPixels,
            null, Device.CPU, limits), null, counters, false), Encoders.row(DepthRows.SCHEMA))
        .collectAsList();
    Map<String, Row> byId = new TreeMap<>();
    rows.forEach(r -> byId.put(r.getAs("image_id"), r));
    return byId;
  }

  private static Map<String, Row> run(ModelSource model, List<Row> input, int batchSize, boolean originalSize,
      ImageCounters counters, boolean batchQueue) {
    return run(model, input, batchSize, originalSize, false, counters, batchQueue);
  }

  private static Map<String, Row> run(ModelSource model, List<Row> input, int batchSize, boolean originalSize,
      boolean kbCrop, ImageCounters counters, boolean batchQueue) {
    List<Row> rows = spark.createDataFrame(input, INPUT).repartition(2)
        .mapPartitions(DepthPartitionFunction.depthRows(model, new DepthTaskSettings(batchSize, originalSize, kbCrop, 0,
            null, Device.CPU, ImageLimits.ofPixels(ImageLoader.DEFAULT_MAX_PIXELS)), null, counters, batchQueue),
            Encoders.row(DepthRows.SCHEMA))
        .collectAsList();
    Map<String, Row> byId = new TreeMap<>();
    rows.forEach(r -> assertNull(byId.put(r.getAs("image_id"), r), "one row per image"));
    return byId;
  }

  private static DepthTaskSettings settings(Device device) {
    return new DepthTaskSettings(2, true, false, 0, null, device, ImageLimits.ofPixels(ImageLoader.DEFAULT_MAX_PIXELS));
  }

  /** GLPN_TINY with blanks after its preprocessor config (one per letter of name): the same model, its own key. */
  private static Path copyWithOwnKey(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (String f : List.of("config.json", "model.safetensors", "preprocessor_config.json")) {
      Files.copy(GLPN_TINY.resolve(f), dir.resolve(f));
    }
    Files.writeString(dir.resolve("preprocessor_config.json"), " ".repeat(name.length()), StandardOpenOption.APPEND);
    return dir;
  }

  private static void assertOk(Row r, int width, int height, int depthWidth, int depthHeight) {
    assertEquals("ok", r.getAs("status"), () -> r.getAs("error"));
    assertEquals(width, (int) r.getAs("width"));
    assertEquals(height, (int) r.getAs("height"));
    assertEquals(depthWidth, (int) r.getAs("depth_width"));
    assertEquals(depthHeight, (int) r.getAs("depth_height"));
    assertEquals(depthWidth * depthHeight, r.getList(r.fieldIndex("depth")).size());
    assertTrue(r.<Float>getAs("depth_min") <= r.<Float>getAs("depth_mean")
        && r.<Float>getAs("depth_mean") <= r.<Float>getAs("depth_max"));
  }

  private static void assertError(Row r, String error) {
    assertEquals("error", r.getAs("status"));
    assertEquals(error, r.getAs("error"));
    assertNull(r.getAs("depth"));
  }

  private static ModelSource model(Path dir) {
    return DistributionPlan.of(dir.toString(), ModelDistribution.BROADCAST,
        spark.sparkContext().hadoopConfiguration()).distribute(spark);
  }

  private static Row row(String id, byte[] content) {
    return RowFactory.create(id, "test:" + id, content);
  }

  private static byte[] png(int height, int width) throws IOException {
    return png(image(height, width));
  }

  private static BufferedImage image(int height, int width) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | (x + y));
      }
    }
    return image;
  }

  private static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
