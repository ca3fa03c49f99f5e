package dev.depthprobe.datasets;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Finds the image and label columns of a Parquet table that the user did not name: first by the
 * {@code datasets} library's description ({@link HuggingFaceFeatures}), then by type (image: {@code
 * binary} or {@code struct<bytes: binary, ...>}) or name (label: a string or integer column called
 * {@code label}). Throws a one-line {@link IllegalArgumentException} when the choice is not clear.
 */
final class ParquetColumnDetection {
  static final String HF_IMAGE_BYTES = "bytes";
  static final String HF_IMAGE_PATH = "path";
  private static final String LABEL = "label";

  private ParquetColumnDetection() {}

  /** The image column: the one {@code Image} feature, else the one binary or image-struct column. */
  static String imageColumn(StructType schema, HuggingFaceFeatures features, String table) {
    List<String> described = present(schema, features.columnsOfType(HuggingFaceFeatures.IMAGE));
    if (described.size() == 1) {
      return described.get(0);
    }
    List<String> candidates = described.isEmpty() ? byType(schema) : described;
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException(table + ": no image column (binary or struct<bytes: binary, path: "
          + "string>); columns are " + String.join(", ", schema.fieldNames()));
    }
    throw new IllegalArgumentException(table + ": several image columns (" + String.join(", ", candidates)
        + "); pick one with --image-column");
  }

  /**
   * The label column, or null: the one {@code ClassLabel} feature, else a string or integer column named
   * {@code label}.
   */
  static String labelColumn(StructType schema, HuggingFaceFeatures features, String table) {
    List<String> described = present(schema, features.columnsOfType(HuggingFaceFeatures.CLASS_LABEL));
    if (described.size() == 1) {
      return described.get(0);
    }
    if (described.size() > 1) {
      throw new IllegalArgumentException(table + ": several ClassLabel columns (" + String.join(", ", described)
          + "); pick one with --label-column");
    }
    return InputSchema.hasField(schema, LABEL) && ParquetImagesReader.isKeyType(schema.apply(LABEL).dataType())
        ? LABEL : null;
  }

  /** Whether {@code type} is the {@code datasets} image struct: {@code struct<bytes: binary, ...>}. */
  static boolean isHuggingFaceImage(DataType type) {
    return type instanceof StructType struct
        && InputSchema.hasField(struct, HF_IMAGE_BYTES)
        && struct.apply(HF_IMAGE_BYTES).dataType().equals(DataTypes.BinaryType);
  }

  /** Whether the image struct also has {@code path string}. */
  static boolean hasImagePath(DataType type) {
    return type instanceof StructType struct
        && InputSchema.hasField(struct, HF_IMAGE_PATH)
        && struct.apply(HF_IMAGE_PATH).dataType().equals(DataTypes.StringType);
  }

  private static List<String> byType(StructType schema) {
    List<String> columns = new ArrayList<>();
    for (StructField field : schema.fields()) {
      if (field.dataType().equals(DataTypes.BinaryType) || isHuggingFaceImage(field.dataType())) {
        columns.add(field.name());
      }
    }
    return columns;
  }

  private static List<String> present(StructType schema, List<String> columns) {
    return columns.stream().filter(c -> InputSchema.hasField(schema, c)).toList();
  }
}
