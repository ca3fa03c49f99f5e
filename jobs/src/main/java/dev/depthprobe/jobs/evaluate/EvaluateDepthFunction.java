package dev.depthprobe.jobs.evaluate;

import dev.depthprobe.datasets.DepthGroundTruthLoader;
import dev.depthprobe.image.KbCrop;
import dev.depthprobe.model.DepthMap;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Executor side of evaluate-depth: one output row per prediction row, with the ground truth read from
 * {@code depth_gt_path} and the errors of {@link DepthErrors}. A row that cannot be evaluated gets
 * {@code status = error} and {@code kind: message}, the kind being one of {@link #KINDS}.
 */
public final class EvaluateDepthFunction {
  public static final String PREDICTION_ERROR = "prediction";
  public static final String NO_GROUND_TRUTH = "no_ground_truth";
  public static final String GROUND_TRUTH_ERROR = "ground_truth";
  /** The prediction is not at the ground truth's size: a mistake of the run, not of one image. */
  public static final String SIZE_MISMATCH = "size_mismatch";
  /** The crop does not apply to the ground truth's size ({@code nyu} needs 480x640, the KB crop 352x1216). */
  public static final String CROP_MISMATCH = "crop_mismatch";
  public static final String NO_VALID_PIXELS = "no_valid_pixels";
  public static final List<String> KINDS = List.of(PREDICTION_ERROR, NO_GROUND_TRUTH, GROUND_TRUTH_ERROR,
      SIZE_MISMATCH, CROP_MISMATCH, NO_VALID_PIXELS);

  /**
   * Per-image output: id, ground-truth path and size (before any KB crop), status, error, valid pixels,
   * the metrics, then {@code kb_crop} (whether the ground truth was KB-cropped to match the prediction).
   */
  public static final StructType SCHEMA = schema();

  private EvaluateDepthFunction() {}

  /**
   * Maps a row of {@code image_id, depth, depth_height, depth_width, status, error, kb_crop, depth_gt_path}
   * to a row of {@link #SCHEMA}; captures only the range (minimum, maximum, crop, protocol). Where
   * {@code kb_crop} is true the prediction was made on the KB-cropped input, and the ground truth is
   * KB-cropped the same way before the comparison.
   */
  public static MapFunction<Row, Row> evaluate(DepthErrors.Range range) {
    return row -> evaluateRow(row, range);
  }

  static Row evaluateRow(Row row, DepthErrors.Range range) {
    String imageId = row.getAs("image_id");
    String gtPath = row.getAs("depth_gt_path");
    boolean kbCrop = Boolean.TRUE.equals(row.getAs(KbCrop.COLUMN));
    if (!"ok".equals(row.getAs("status"))) {
      return error(kbCrop, imageId, gtPath, null, PREDICTION_ERROR + ": the depth job failed on this image ("
          + row.getAs("error") + ")");
    }
    if (gtPath == null) {
      return error(kbCrop, imageId, null, null, NO_GROUND_TRUTH
          + ": no ground-truth file has the file-name stem of " + imageId);
    }
    DepthMap gt;
    try {
      gt = DepthGroundTruthLoader.load(gtPath);
    } catch (IOException | RuntimeException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      return error(kbCrop, imageId, gtPath, null, GROUND_TRUTH_ERROR + ": " + message);
    }
    float[] gtMetres = gt.metres();
    int gtHeight = gt.height();
    int gtWidth = gt.width();
    if (kbCrop) {
      try {
        gtMetres = KbCrop.apply(gtMetres, gtHeight, gtWidth);
      } catch (IllegalArgumentException e) {
        return error(kbCrop, imageId, gtPath, gt, CROP_MISMATCH
            + ": the prediction was made on the KB-cropped image; ground truth: " + e.getMessage());
      }
      gtHeight = KbCrop.HEIGHT;
      gtWidth = KbCrop.WIDTH;
    }
    int height = row.<Integer>getAs("depth_height");
    int width = row.<Integer>getAs("depth_width");
    if (height != gtHeight || width != gtWidth) {
      return error(kbCrop, imageId, gtPath, gt, SIZE_MISMATCH + ": prediction " + height + "x" + width
          + ", ground truth " + gtHeight + "x" + gtWidth + (kbCrop ? " after the KB crop" : ""));
    }
    DepthErrors errors;
    try {
      errors = DepthErrors.compute(floats(row.getList(row.fieldIndex("depth"))), gtMetres, height, width, range);
    } catch (IllegalArgumentException e) {
      return error(kbCrop, imageId, gtPath, gt, CROP_MISMATCH + ": " + e.getMessage());
    }
    if (errors.validPixels() == 0) {
      return error(kbCrop, imageId, gtPath, gt, NO_VALID_PIXELS + ": no ground-truth pixel between "
          + range.minDepth() + " and " + range.maxDepth() + " m" + (range.crop() == null ? "" : " inside the crop"));
    }
    Object[] values = new Object[SCHEMA.size()];
    values[0] = imageId;
    values[1] = gtPath;
    values[2] = gt.height();
    values[3] = gt.width();
    values[4] = "ok";
    values[5] = null;
    values[6] = errors.validPixels();
    double[] metrics = errors.values();
    for (int i = 0; i < metrics.length; i++) {
      values[7 + i] = metrics[i];
    }
    values[7 + metrics.length] = kbCrop;
    return RowFactory.create(values);
  }

  private static Row error(boolean kbCrop, String imageId, String gtPath, DepthMap gt, String error) {
    Object[] values = new Object[SCHEMA.size()];
    values[0] = imageId;
    values[1] = gtPath;
    values[2] = gt == null ? null : gt.height();
    values[3] = gt == null ? null : gt.width();
    values[4] = "error";
    values[5] = error;
    values[6] = 0L;
    values[SCHEMA.size() - 1] = kbCrop;
    return RowFactory.create(values);
  }

  private static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    Iterator<Float> it = values.iterator();
    for (int i = 0; i < out.length; i++) {
      out[i] = it.next();
    }
    return out;
  }

  private static StructType schema() {
    StructType schema = new StructType()
        .add("image_id", DataTypes.StringType, true)
        .add("depth_gt_path", DataTypes.StringType, true)
        .add("gt_height", DataTypes.IntegerType, true)
        .add("gt_width", DataTypes.IntegerType, true)
        .add("status", DataTypes.StringType, false)
        .add("error", DataTypes.StringType, true)
        .add("valid_pixels", DataTypes.LongType, false);
    for (String name : DepthErrors.NAMES) {
      schema = schema.add(name, DataTypes.DoubleType, true);
    }
    return schema.add(KbCrop.COLUMN, DataTypes.BooleanType, false);
  }
}
