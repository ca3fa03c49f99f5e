package dev.depthprobe.udfs;

import dev.depthprobe.datasets.InputSchema;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.imagegpt.FeatureSpec;
import dev.depthprobe.model.FeatureModel;
import dev.depthprobe.model.ModelRegistry;
import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.distribution.ModelSource;
import dev.depthprobe.udfs.partition.ImageJob;
import dev.depthprobe.udfs.partition.ImageLimits;
import dev.depthprobe.udfs.partition.InputImage;
import dev.depthprobe.udfs.partition.PartitionSkeleton;
import dev.depthprobe.udfs.partition.ProcessedSize;
import dev.depthprobe.udfs.partition.TaskSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Linear-probe features on executors, on the {@link PartitionSkeleton}: one output row per input image
 * and asked layer, in the input's order, from the feature model of the checkpoint's {@code model_type}.
 * Images of any size go through the processor (resized to the model's square), so every batch is full:
 * {@code batchSize} decodable images, the last one of a partition excepted. An image that cannot be
 * decoded, processed or run gives one error row per layer, with null features.
 */
public final class FeaturePartitionFunction {
  /** Metadata keys on the {@code features} column: how the vectors were made. */
  public static final String RECIPE_KEY = "recipe";
  public static final String PREPEND_SOS_KEY = "prepend_sos";
  public static final String POOL_SOS_KEY = "pool_sos";

  private FeaturePartitionFunction() {}

  /**
   * The feature table's columns (without the run partition): {@code image_id}, {@code source},
   * {@code label}, {@code layer}, {@code features} (carrying the recipe in its metadata), {@code model},
   * {@code status}, {@code error}.
   */
  public static StructType outputSchema(FeatureSpec spec) {
    Metadata recipe = new MetadataBuilder()
        .putString(RECIPE_KEY, spec.recipe().name().toLowerCase(Locale.ROOT))
        .putBoolean(PREPEND_SOS_KEY, spec.prependSos())
        .putBoolean(POOL_SOS_KEY, spec.poolSos())
        .build();
    return new StructType(new StructField[] {
        DataTypes.createStructField("image_id", DataTypes.StringType, false),
        DataTypes.createStructField("source", DataTypes.StringType, true),
        DataTypes.createStructField("label", DataTypes.StringType, true),
        DataTypes.createStructField("layer", DataTypes.IntegerType, false),
        new StructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), true, recipe),
        DataTypes.createStructField("model", DataTypes.StringType, false),
        DataTypes.createStructField("status", DataTypes.StringType, false),
        DataTypes.createStructField("error", DataTypes.StringType, true)});
  }

  /**
   * The partition function over rows of the input schema with a {@code label} column (which may be
   * null). Captures the model source (a broadcast or a path), the spec, primitives and the accumulators.
   *
   * @param threads ND4J threads per task, or {@code null} for the executor's fair share
   * @param device CPU or GPU, resolved on the driver
   * @param limits what one image may take: its header's pixels, admission's memory and seconds
   */
  public static MapPartitionsFunction<Row, Row> extractFeatures(ModelSource model, FeatureSpec spec,
      int batchSize, Integer threads, Device device, ImageLimits limits, ImageCounters counters) {
    return extractFeatures(model, spec, batchSize, threads, device, limits, counters, device == Device.GPU);
  }

  /** {@link #extractFeatures}, with the device's batch queue or without it; tests take the queue on the CPU. */
  static MapPartitionsFunction<Row, Row> extractFeatures(ModelSource model, FeatureSpec spec, int batchSize,
      Integer threads, Device device, ImageLimits limits, ImageCounters counters, boolean batchQueue) {
    return PartitionSkeleton.rows(model, new FeatureJob(spec, model.label()),
        new TaskSettings(batchSize, threads, device, limits), counters, batchQueue);
  }

  /** Builds the model of {@link #extractFeatures} in this JVM ahead of its tasks ({@link PartitionSkeleton#buildAhead}). */
  public static void buildAhead(ModelSource model, FeatureSpec spec, Device device, ImageCounters counters) {
    PartitionSkeleton.buildAhead(model, new FeatureJob(spec, model.label()), device, counters);
  }

  /** The features job's part: the feature model, and an image's features as one row per layer. */
  private record FeatureJob(FeatureSpec spec, String label) implements ImageJob<FeatureModel, float[][]> {

    @Override
    public FeatureModel build(ModelSource source) {
      return ModelRegistry.features(source.config()).build(source.config(), source.preprocessorConfig(),
          source.weights());
    }

    @Override
    public List<float[][]> run(FeatureModel model, List<RgbImage> images) {
      return Arrays.asList(model.extract(images, spec));
    }

    @Override
    public String resultKey() {
      return spec.toString();
    }

    @Override
    public boolean inputOrder() {
      return true;
    }

    /** @param perLayer {@code [index in spec.layers()][hidden size]} */
    @Override
    public List<Row> rows(InputImage input, RgbImage image, ProcessedSize modelSize, float[][] perLayer) {
      return layerRows(input, layer -> perLayer[layer], DepthRows.OK, null);
    }

    @Override
    public List<Row> errorRows(InputImage input, RgbImage image, String error) {
      return layerRows(input, layer -> null, DepthRows.ERROR, error);
    }

    private List<Row> layerRows(InputImage input, IntFunction<float[]> features, String status,
        String error) {
      int[] layers = spec.layers();
      String imageLabel = input.row().getAs(InputSchema.LABEL);
      List<Row> rows = new ArrayList<>(layers.length);
      for (int j = 0; j < layers.length; j++) {
        rows.add(RowFactory.create(input.imageId(), input.source(), imageLabel, layers[j], features.apply(j), label,
            status, error));
      }
      return rows;
    }
  }
}
