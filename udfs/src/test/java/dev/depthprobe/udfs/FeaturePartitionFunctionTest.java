package dev.depthprobe.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.admission.CostModel;
import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.imagegpt.FeatureExtractor;
import dev.depthprobe.imagegpt.FeatureSpec;
import dev.depthprobe.model.FeatureModel;
import dev.depthprobe.npy.Npy;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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

/** The feature partition function on Spark local mode with the tiny ImageGPT checkpoint. */
class FeaturePartitionFunctionTest {
  private static final long MAX_PIXELS = ImageLoader.DEFAULT_MAX_PIXELS;
  private static final Path FIXTURES = Path.of("../model-core/src/test/resources/fixtures");
  private static final Path MODEL = FIXTURES.resolve("imagegpt-tiny/model");
  private static final List<String> IMAGES = List.of("gradient_64x80", "odd_97x123", "gray_70x90", "palette_50x60",
      "coco_cats_240x320");
  private static final StructType INPUT = new StructType()
      .add("image_id", DataTypes.StringType).add("source", DataTypes.StringType)
      .add("content", DataTypes.BinaryType).add("label", DataTypes.StringType);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder().master("local[2]").appName("FeaturePartitionFunctionTest")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void everyImageGetsOneRowPerLayerWithTheFeaturesOfTheModelAloneInInputOrder() throws IOException {
    List<Row> input = new ArrayList<>();
    for (String name : IMAGES) {
      input.add(RowFactory.create(name + ".png", "file:/" + name, Files.readAllBytes(image(name)), "class-" + name));
    }
    input.add(2, RowFactory.create("broken.png", "file:/broken", new byte[] {1, 2, 3}, null));
    FeatureSpec spec = FeatureSpec.hidden(1, 4);
    ModelSource model = DistributionPlan.of(MODEL.toString(), ModelDistribution.BROADCAST,
        spark.sparkContext().hadoopConfiguration()).distribute(spark);
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "features-test");

    List<Row> out = spark.createDataFrame(input, INPUT).repartition(1)
        .mapPartitions(FeaturePartitionFunction.extractFeatures(model, spec, 2, 1, Device.CPU, ImageLimits.ofPixels(MAX_PIXELS), counters),
            Encoders.row(FeaturePartitionFunction.outputSchema(spec)))
        .collectAsList();

    assertEquals(2 * input.size(), out.size());
    FeatureExtractor alone = FeatureExtractor.load(Checkpoint.open(MODEL));
    ImageLoader loader = new ImageLoader();
    for (int i = 0; i < input.size(); i++) {
      Row in = input.get(i);
      for (int j = 0; j < 2; j++) {
        Row row = out.get(2 * i + j);
        assertEquals(in.getString(0), row.getAs("image_id"));
        assertEquals(in.getString(3), row.getAs("label"));
        assertEquals(spec.layers()[j], row.<Integer>getAs("layer"));
        assertTrue(row.<String>getAs("model").startsWith("model@sha256:"), row.<String>getAs("model"));
        if (in.getString(0).equals("broken.png")) {
          assertEquals("error", row.getAs("status"));
          assertTrue(row.<String>getAs("error").startsWith("decode: broken.png: cannot decode image"),
              row.<String>getAs("error"));
          assertNull(row.getAs("features"));
        } else {
          assertEquals("ok", row.getAs("status"));
          float[] expected = alone.extract(List.of(loader.load((byte[]) in.get(2), "x")), spec)[0][j];
          assertClose(expected, floats(row.getList(row.fieldIndex("features"))));
        }
      }
    }
    assertEquals(5, counters.ok());
    assertEquals(1, counters.failed());
    assertEquals(Map.of("decode", 1L), counters.failedByKind(), "images, not rows: one image of two error rows");
    assertTrue(ModelCache.keys().contains(TaskDevice.cacheKey(model.key(), "cpu")));
  }

  @Test
  void featuresMatchTransformersPooledHiddenStates() throws IOException {
    FeatureSpec spec = FeatureSpec.hidden(0, 1, 2, 3, 4);
    ModelSource model = DistributionPlan.of(MODEL.toString(), ModelDistribution.BROADCAST,
        spark.sparkContext().hadoopConfiguration()).distribute(spark);
    List<Row> input = List.of(RowFactory.create("g.png", "g", Files.readAllBytes(image("gradient_64x80")), null));

    List<Row> out = spark.createDataFrame(input, INPUT)
        .mapPartitions(FeaturePartitionFunction.extractFeatures(model, spec, 4, null, Device.CPU, ImageLimits.ofPixels(MAX_PIXELS),
            ImageCounters.register(spark.sparkContext(), "features-test")),
            Encoders.row(FeaturePartitionFunction.outputSchema(spec)))
        .collectAsList();

    float[] pooled = Npy.read(FIXTURES.resolve("imagegpt-tiny/cases/gradient_64x80/pooled.npy")).toFloatArray();
    assertEquals(5, out.size());
    for (Row row : out) {
      int layer = row.getAs("layer");
      assertClose(Arrays.copyOfRange(pooled, layer * 32, layer * 32 + 32), floats(row.getList(row.fieldIndex("features"))));
    }
  }

  @Test
  void checkpointsThatDifferOnlyInTheirClustersGetTheirOwnModelOnTheExecutor() throws IOException {
    Path reversed = Files.createDirectories(tmp.resolve("imagegpt-reversed-clusters"));
    for (String f : List.of("config.json", "model.safetensors")) {
      Files.copy(MODEL.resolve(f), reversed.resolve(f));
    }
    ObjectNode processor = (ObjectNode) JSON.readTree(MODEL.resolve("preprocessor_config.json").toFile());
    List<JsonNode> clusters = new ArrayList<>();
    processor.withArray("clusters").forEach(clusters::add);
    Collections.reverse(clusters);
    processor.putArray("clusters").addAll(clusters);
    JSON.writeValue(reversed.resolve("preprocessor_config.json").toFile(), processor);
    FeatureSpec spec = FeatureSpec.hidden(2);
    byte[] gradient = Files.readAllBytes(image("gradient_64x80"));

    List<float[]> features = new ArrayList<>();
    for (Path checkpoint : List.of(MODEL, reversed)) {
      ModelSource model = DistributionPlan.of(checkpoint.toString(), ModelDistribution.BROADCAST,
          spark.sparkContext().hadoopConfiguration()).distribute(spark);
      Row row = extract(model, spec, List.of(RowFactory.create("g.png", "g", gradient, null)), false).get(0);
      features.add(floats(row.getList(row.fieldIndex("features"))));

      float[] expected = FeatureExtractor.load(Checkpoint.open(checkpoint))
          .extract(List.of(new ImageLoader().load(gradient, "g.png")), spec)[0][0];
      assertClose(expected, features.get(features.size() - 1));
    }
    assertFalse(Arrays.equals(features.get(0), features.get(1)), "other clusters, other features");
  }

  @Test
  void aBatchThatFailsInTheModelIsRetriedImageByImageSoOnlyTheFailingImageIsAnError() throws IOException {
    // A copy of the checkpoint under its own content hash, whose executor model (put in the model cache
    // first) fails any batch holding an image 13 pixels wide, as a model fails on one bad input.
    Path copy = Files.createDirectories(tmp.resolve("imagegpt-failing"));
    Files.copy(MODEL.resolve("model.safetensors"), copy.resolve("model.safetensors"));
    Files.copy(MODEL.resolve("preprocessor_config.json"), copy.resolve("preprocessor_config.json"));
    Files.writeString(copy.resolve("config.json"), ((ObjectNode) JSON.readTree(MODEL.resolve("config.json").toFile()))
        .put("_name_or_path", "imagegpt-failing").toString());
    ModelSource model = DistributionPlan.of(copy.toString(), ModelDistribution.BROADCAST,
        spark.sparkContext().hadoopConfiguration()).distribute(spark);
    FeatureExtractor alone = FeatureExtractor.load(Checkpoint.open(copy));
    ModelCache.acquire(TaskDevice.cacheKey(model.key(), "cpu"), model.weightBytes(), () -> new FeatureModel() {
      @Override
      public int[] processedSize(int height, int width) {
        return alone.processedSize(height, width);
      }

      @Override
      public CostModel costModel() {
        return alone.costModel();
      }

      @Override
      public float[][][] extract(List<RgbImage> images, FeatureSpec spec) {
        if (images.stream().anyMatch(image -> image.width() == 13)) {
          throw new IllegalStateException("cannot run an image 13 pixels wide\n(second line)");
        }
        return alone.extract(images, spec);
      }

      @Override
      public void close() {
        alone.close();
      }
    }).close();
    FeatureSpec spec = FeatureSpec.hidden(1, 3);
    List<Row> input = new ArrayList<>();
    for (String id : List.of("a", "b", "bad", "c", "d")) {
      byte[] png = id.equals("bad") ? png(20, 13) : Files.readAllBytes(image(IMAGES.get(input.size() % 4)));
      input.add(RowFactory.create(id + ".png", "file:/" + id, png, "class-" + id));
    }
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "features-test");

    List<Row> out = spark.createDataFrame(input, INPUT).repartition(1)
        .mapPartitions(FeaturePartitionFunction.extractFeatures(model, spec, 3, 1, Device.CPU, ImageLimits.ofPixels(MAX_PIXELS), counters),
            Encoders.row(FeaturePartitionFunction.outputSchema(spec)))
        .collectAsList();

    Map<String, List<Row>> byImage = out.stream().collect(
        Collectors.groupingBy(row -> row.<String>getAs("image_id"), LinkedHashMap::new, Collectors.toList()));
    assertEquals(List.of("a.png", "b.png", "bad.png", "c.png", "d.png"), List.copyOf(byImage.keySet()), "input order");
    for (Row in : input) {
      List<Row> rows = byImage.get(in.getString(0));
      assertEquals(List.of(1, 3), rows.stream().map(row -> row.<Integer>getAs("layer")).toList());
      if (in.getString(0).equals("bad.png")) {
        rows.forEach(row -> assertEquals("model: cannot run an image 13 pixels wide", row.getAs("error")));
        rows.forEach(row -> assertNull(row.getAs("features")));
        continue;
      }
      float[][] expected = alone.extract(List.of(new ImageLoader().load((byte[]) in.get(2), "x")), spec)[0];
      for (int layer = 0; layer < 2; layer++) {
        assertEquals("ok", rows.get(layer).getAs("status"), in.getString(0) + " shared a batch with bad.png");
        assertClose(expected[layer], floats(rows.get(layer).getList(rows.get(layer).fieldIndex("features"))));
      }
    }
    assertEquals(4, counters.ok());
    assertEquals(1, counters.failed());
    assertEquals(Map.of("model", 1L), counters.failedByKind());
  }

  @Test
  void theDeviceBatchQueueSharedByBothTasksGivesTheRowsOfTheDirectPath() throws IOException {
    List<Row> input = new ArrayList<>();
    for (String name : IMAGES) {
      for (int copy = 0; copy < 3; copy++) {
        input.add(RowFactory.create(name + "-" + copy, "file:/" + name, Files.readAllBytes(image(name)), "c"));
      }
    }
    input.add(RowFactory.create("broken.png", "file:/broken", new byte[] {1, 2, 3}, null));
    FeatureSpec spec = FeatureSpec.hidden(1, 4);
    ModelSource model = DistributionPlan.of(MODEL.toString(), ModelDistribution.BROADCAST,
        spark.sparkContext().hadoopConfiguration()).distribute(spark);

    List<Row> direct = extract(model, spec, input, false);
    long queuesBefore = BatchQueueThreads.alive();
    List<Row> queued = extract(model, spec, input, true);

    assertEquals(2 * input.size(), queued.size());
    SameRows.assertSameRows(direct, queued);
    assertEquals(queuesBefore + 1, BatchQueueThreads.alive(), "one queue for the tasks of this JVM");
  }

  /** The rows of {@code input} in two partitions, with batches of 3, in input order. */
  private static List<Row> extract(ModelSource model, FeatureSpec spec, List<Row> input, boolean batchQueue) {
    return spark.createDataFrame(input, INPUT).repartition(2)
        .mapPartitions(FeaturePartitionFunction.extractFeatures(model, spec, 3, 1, Device.CPU, ImageLimits.ofPixels(MAX_PIXELS),
            ImageCounters.register(spark.sparkContext(), "features-test"), batchQueue),
            Encoders.row(FeaturePartitionFunction.outputSchema(spec)))
        .orderBy("image_id", "layer")
        .collectAsList();
  }

  private static byte[] png(int height, int width) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 16) << 16 | (y * 8) << 8 | (x + y));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static Path image(String name) {
    return FIXTURES.resolve("images/" + name + ".png");
  }

  private static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /** Within 1e-4 of the reference's largest magnitude, as model-core's parity tests. */
  private static void assertClose(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    double scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-4 * scale, "[" + i + "]");
    }
  }
}
