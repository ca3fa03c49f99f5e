package dev.depthprobe.datasets;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The input schema that every reader yields (DESIGN.md): {@code image_id string},
 * {@code source string}, {@code content binary}, optional {@code label string}, optional
 * {@code depth_gt_path string} or {@code depth_gt binary}, optional {@code read_error string}. Other columns
 * (such as {@code split}) may follow.
 */
public final class InputSchema {
  /** Stable id: the path relative to the dataset root where there is one. */
  public static final String IMAGE_ID = "image_id";
  /** Where the bytes came from: the full path or URI, or file and record. */
  public static final String SOURCE = "source";
  /** The encoded image file. */
  public static final String CONTENT = "content";
  public static final String LABEL = "label";
  public static final String SPLIT = "split";
  public static final String DEPTH_GT_PATH = "depth_gt_path";
  public static final String DEPTH_GT = "depth_gt";
  /** Why a file reader left a row's content null (a file too large to read), else null. */
  public static final String READ_ERROR = "read_error";

  private static final Map<String, DataType> REQUIRED = Map.of(
      IMAGE_ID, DataTypes.StringType, SOURCE, DataTypes.StringType, CONTENT, DataTypes.BinaryType);
  private static final Map<String, DataType> OPTIONAL = Map.of(
      LABEL, DataTypes.StringType, SPLIT, DataTypes.StringType,
      DEPTH_GT_PATH, DataTypes.StringType, DEPTH_GT, DataTypes.BinaryType, READ_ERROR, DataTypes.StringType);

  private InputSchema() {}

  /** Checks {@code schema} before any data moves; throws with a one-line message on the first problem. */
  public static void validate(StructType schema) {
    for (String name : new String[] {IMAGE_ID, SOURCE, CONTENT}) {
      if (!hasField(schema, name)) {
        throw new IllegalArgumentException("Input column '" + name + "' is missing; the input has "
            + String.join(", ", schema.fieldNames()));
      }
      requireType(schema.apply(name), REQUIRED.get(name));
    }
    for (Map.Entry<String, DataType> optional : OPTIONAL.entrySet()) {
      if (hasField(schema, optional.getKey())) {
        requireType(schema.apply(optional.getKey()), optional.getValue());
      }
    }
  }

  /** The input's {@link #READ_ERROR} column, or a null one for readers that read every row's content. */
  public static Column readError(Dataset<Row> input) {
    return hasField(input.schema(), READ_ERROR) ? col(READ_ERROR) : lit(null).cast(DataTypes.StringType).as(READ_ERROR);
  }

  static boolean hasField(StructType schema, String name) {
    return schema.getFieldIndex(name).isDefined();
  }

  private static void requireType(StructField field, DataType expected) {
    if (!field.dataType().equals(expected)) {
      throw new IllegalArgumentException("Input column '" + field.name() + "' must be "
          + expected.simpleString() + " but is " + field.dataType().simpleString());
    }
  }
}
