package dev.depthprobe.udfs;

import dev.depthprobe.datasets.InputSchema;
import dev.depthprobe.image.KbCrop;
import java.util.Arrays;
import java.util.OptionalDouble;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructType;

/**
 * The depth job's output rows (before the run partition column): the original image's size, the
 * depth map row-major in metres with its own size and statistics, the model, and a status. An
 * error row keeps the id and source, the size where the image decoded, and a one-line error;
 * {@code model_height} x {@code model_width} is the size the model saw (smaller than the image's processed
 * size under {@code --max-model-pixels}); {@code kb_crop} says whether the model saw the image's KB crop (then the depth map is of the crop).
 */
public final class DepthRows {
  public static final String OK = "ok";
  public static final String ERROR = "error";

  public static final StructType SCHEMA = new StructType()
      .add(InputSchema.IMAGE_ID, DataTypes.StringType, true)
      .add(InputSchema.SOURCE, DataTypes.StringType, true)
      .add("width", DataTypes.IntegerType, true)
      .add("height", DataTypes.IntegerType, true)
      .add("depth", DataTypes.createArrayType(DataTypes.FloatType, false), true)
      .add("depth_height", DataTypes.IntegerType, true)
      .add("depth_width", DataTypes.IntegerType, true)
      .add("model_height", DataTypes.IntegerType, true)
      .add("model_width", DataTypes.IntegerType, true)
      .add("depth_min", DataTypes.FloatType, true)
      .add("depth_max", DataTypes.FloatType, true)
      .add("depth_mean", DataTypes.FloatType, true)
      .add("model", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false)
      .add("error", DataTypes.StringType, true)
      .add(KbCrop.COLUMN, DataTypes.BooleanType, false)
      .add("png_name", DataTypes.StringType, true);

  /** The {@code depth} column's metadata key for the model's max_depth, which evaluate-depth takes as its range. */
  public static final String MAX_DEPTH = "max_depth";

  private DepthRows() {}

  /** {@code depth} with the model's max_depth (metres) in its column metadata. */
  public static Metadata depthMetadata(double maxDepth) {
    return new MetadataBuilder().putDouble(MAX_DEPTH, maxDepth).build();
  }

  /** The max_depth a depth table records in its {@code depth} column's metadata, if any. */
  public static OptionalDouble maxDepth(StructType schema) {
    if (!Arrays.asList(schema.fieldNames()).contains("depth")) {
      return OptionalDouble.empty();
    }
    Metadata metadata = schema.apply("depth").metadata();
    return metadata.contains(MAX_DEPTH) ? OptionalDouble.of(metadata.getDouble(MAX_DEPTH)) : OptionalDouble.empty();
  }

  /** A depth map of {@code depthHeight x depthWidth} values for an image of {@code width x height}. */
  public static Row ok(String imageId, String source, int width, int height, float[] depth, int depthHeight,
      int depthWidth, int modelHeight, int modelWidth, String model, boolean kbCrop, String pngName) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    double sum = 0;
    for (float v : depth) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    return RowFactory.create(imageId, source, width, height, depth, depthHeight, depthWidth, modelHeight, modelWidth,
        min, max, (float) (sum / depth.length), model, OK, null, kbCrop, pngName);
  }

  /**
   * @param width the original width, or {@code null} if the image did not decode (likewise height)
   * @param error {@code kind: message}, one line
   */
  public static Row error(String imageId, String source, Integer width, Integer height, String model,
      boolean kbCrop, String error) {
    return RowFactory.create(imageId, source, width, height, null, null, null, null, null, null, null, null, model,
        ERROR, error, kbCrop, null);
  }
}
