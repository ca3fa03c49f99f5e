package dev.depthprobe.jobs.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.image.KbCrop;
import dev.depthprobe.npy.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateDepthFunctionTest {
  private static final StructType INPUT = new StructType()
      .add("image_id", DataTypes.StringType)
      .add("depth", DataTypes.createArrayType(DataTypes.FloatType, false))
      .add("depth_height", DataTypes.IntegerType)
      .add("depth_width", DataTypes.IntegerType)
      .add("status", DataTypes.StringType)
      .add("error", DataTypes.StringType)
      .add(KbCrop.COLUMN, DataTypes.BooleanType)
      .add("depth_gt_path", DataTypes.StringType);
  private static final DepthErrors.Range GLPN_KITTI = new DepthErrors.Range(1e-3, 80, null, DepthProtocol.GLPN);

  @TempDir
  Path dir;

  @Test
  void aKbCroppedPredictionIsComparedWithTheKbCroppedGroundTruth() throws IOException {
    // ground truth 354x1220: margins top 2, left 2; 3 m inside the crop, 50 m outside it
    int h = 354;
    int w = 1220;
    float[] gt = new float[h * w];
    Arrays.fill(gt, 50);
    for (int y = 2; y < h; y++) {
      Arrays.fill(gt, y * w + 2, y * w + 2 + KbCrop.WIDTH, 3);
    }
    Path gtFile = dir.resolve("frame.npy");
    Npy.writeFloat(gtFile, gt, h, w);
    float[] pred = new float[KbCrop.HEIGHT * KbCrop.WIDTH];
    Arrays.fill(pred, 6); // twice the ground truth inside the crop

    Row out = EvaluateDepthFunction.evaluateRow(input(pred, KbCrop.HEIGHT, KbCrop.WIDTH, true, gtFile), GLPN_KITTI);

    assertEquals("ok", field(out, "status"), String.valueOf((String) field(out, "error")));
    assertEquals((long) KbCrop.HEIGHT * KbCrop.WIDTH, field(out, "valid_pixels"));
    assertEquals(1.0, (Double) field(out, "abs_rel"), 1e-9); // |6 - 3| / 3
    assertEquals(3.0, (Double) field(out, "rmse"), 1e-9);
    // d = ln 2 everywhere: sqrt(ln^2 2 - 0.5 ln^2 2)
    assertEquals(Math.log(2) / Math.sqrt(2), (Double) field(out, "silog"), 1e-6);
    assertEquals(h, field(out, "gt_height"));
    assertEquals(true, field(out, KbCrop.COLUMN));
  }

  @Test
  void withoutTheKbCropAPredictionAtTheCropSizeIsASizeMismatch() throws IOException {
    int h = 354;
    int w = 1220;
    Path gtFile = dir.resolve("frame.npy");
    Npy.writeFloat(gtFile, new float[h * w], h, w);

    Row out = EvaluateDepthFunction.evaluateRow(
        input(new float[KbCrop.HEIGHT * KbCrop.WIDTH], KbCrop.HEIGHT, KbCrop.WIDTH, false, gtFile), GLPN_KITTI);

    assertEquals("size_mismatch: prediction 352x1216, ground truth 354x1220", field(out, "error"));
  }

  @Test
  void aKbCroppedPredictionWithGroundTruthSmallerThanTheCropIsACropMismatch() throws IOException {
    Path gtFile = dir.resolve("small.npy");
    Npy.writeFloat(gtFile, new float[6], 2, 3);

    Row out = EvaluateDepthFunction.evaluateRow(input(new float[6], 2, 3, true, gtFile), GLPN_KITTI);

    assertTrue(((String) field(out, "error")).startsWith("crop_mismatch: the prediction was made on the KB-cropped "
        + "image; ground truth: the KB crop needs at least 352x1216"), (String) field(out, "error"));
  }

  /** The output rows have no schema attached: read them by the output schema's field index. */
  private static Object field(Row out, String name) {
    return out.get(EvaluateDepthFunction.SCHEMA.fieldIndex(name));
  }

  private static Row input(float[] depth, int height, int width, boolean kbCrop, Path gt) {
    List<Float> values = new ArrayList<>(depth.length);
    for (float v : depth) {
      values.add(v);
    }
    return new GenericRowWithSchema(new Object[] {"frame.png", scala.jdk.javaapi.CollectionConverters.asScala(values)
        .toSeq(), height, width, "ok", null, kbCrop, gt.toString()}, INPUT);
  }
}
