package dev.depthprobe.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.imagegpt.FeatureExtractor;
import dev.depthprobe.imagegpt.FeatureSpec;
import dev.depthprobe.npy.Npy;
import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.device.TaskDevice;
import dev.depthprobe.udfs.distribution.DistributionPlan;
import dev.depthprobe.udfs.distribution.ModelDistribution;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The feature partition function on Spark local mode with the tiny ImageGPT checkpoint. */
class FeaturePartitionFunctionTest {
  private static final Path FIXTURES = Path.of("../model-core/src/test/resources/fixtures");
  private static final Path MODEL = FIXTURES.resolve("imagegpt-tiny/model");
  private static final List<String> IMAGES = List.of("gradient_64x80", "odd_97x123", "gray_70x90", "palette_50x60",
      "coco_cats_240x320");
  private static final StructType INPUT = new StructType()
      .add("image_id", DataTypes.StringType).add("source", DataTypes.StringType)
      .add("content", DataTypes.BinaryType).add("label", DataTypes.StringType);
  private static SparkSession spark;

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
        .mapPartitions(FeaturePartitionFunction.extractFeatures(model, spec, 2, 1, Device.CPU, counters),
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
    assertEquals(1, ModelCache.loadCount(TaskDevice.cacheKey(model.key(), "cpu")));
  }

  @Test
  void featuresMatchTransformersPooledHiddenStates() throws IOException {
    FeatureSpec spec = FeatureSpec.hidden(0, 1, 2, 3, 4);
    ModelSource model = DistributionPlan.of(MODEL.toString(), ModelDistribution.BROADCAST,
        spark.sparkContext().hadoopConfiguration()).distribute(spark);
    List<Row> input = List.of(RowFactory.create("g.png", "g", Files.readAllBytes(image("gradient_64x80")), null));

    List<Row> out = spark.createDataFrame(input, INPUT)
        .mapPartitions(FeaturePartitionFunction.extractFeatures(model, spec, 4, null, Device.CPU,
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
