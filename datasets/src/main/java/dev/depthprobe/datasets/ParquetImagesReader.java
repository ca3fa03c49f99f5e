package dev.depthprobe.datasets;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Parquet table with one row per image, converted to the {@link InputSchema}. The image column
 * holds the encoded file, either as {@code binary} or as a Hugging Face {@code datasets} image
 * struct ({@code struct<bytes: binary, path: string>}). The id and label columns may be strings or
 * integers (a {@code ClassLabel} index, for example); they are cast to strings. {@code source} is
 * {@code <parquet file>#<row index in that file>}.
 *
 * <p>The column names and types are checked on the schema before any data moves, as Spark ML's
 * {@code transformSchema} does.
 */
public final class ParquetImagesReader {
  private static final String HF_IMAGE_BYTES = "bytes";
  private static final Set<DataType> KEY_TYPES = Set.of(DataTypes.StringType, DataTypes.ByteType,
      DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType);

  private ParquetImagesReader() {}

  public static Dataset<Row> read(SparkSession spark, String path, String imageColumn, String idColumn) {
    return read(spark, path, imageColumn, idColumn, null);
  }

  /** As {@link #read(SparkSession, String, String, String)}, with a label column ({@code null} for none). */
  public static Dataset<Row> read(SparkSession spark, String path, String imageColumn, String idColumn,
      String labelColumn) {
    Dataset<Row> table = spark.read().parquet(path);
    Column image = checkSchema(table.schema(), path, imageColumn, idColumn, labelColumn);
    List<Column> columns = new ArrayList<>(List.of(
        col(idColumn).cast(DataTypes.StringType).as(InputSchema.IMAGE_ID),
        concat(col("_metadata.file_path"), lit("#"), col("_metadata.row_index")).as(InputSchema.SOURCE),
        image.as(InputSchema.CONTENT)));
    if (labelColumn != null) {
      columns.add(col(labelColumn).cast(DataTypes.StringType).as(InputSchema.LABEL));
    }
    return table.select(columns.toArray(Column[]::new));
  }

  /**
   * Throws a one-line {@link IllegalArgumentException} unless the columns exist with usable types;
   * returns the expression for the image bytes.
   */
  static Column checkSchema(StructType schema, String table, String imageColumn, String idColumn,
      String labelColumn) {
    DataType imageType = field(schema, table, imageColumn, "image").dataType();
    Column image;
    if (imageType.equals(DataTypes.BinaryType)) {
      image = col(imageColumn);
    } else if (isHuggingFaceImage(imageType)) {
      image = col(imageColumn).getField(HF_IMAGE_BYTES);
    } else {
      throw new IllegalArgumentException(table + ": image column '" + imageColumn
          + "' must be binary or struct<bytes: binary, ...> but is " + imageType.simpleString());
    }
    requireStringOrInteger(field(schema, table, idColumn, "id"), table, "id");
    if (labelColumn != null) {
      requireStringOrInteger(field(schema, table, labelColumn, "label"), table, "label");
    }
    return image;
  }

  private static boolean isHuggingFaceImage(DataType type) {
    return type instanceof StructType struct
        && InputSchema.hasField(struct, HF_IMAGE_BYTES)
        && struct.apply(HF_IMAGE_BYTES).dataType().equals(DataTypes.BinaryType);
  }

  private static StructField field(StructType schema, String table, String name, String role) {
    if (!InputSchema.hasField(schema, name)) {
      throw new IllegalArgumentException(table + ": " + role + " column '" + name + "' not found; columns are "
          + String.join(", ", schema.fieldNames()));
    }
    return schema.apply(name);
  }

  private static void requireStringOrInteger(StructField field, String table, String role) {
    DataType type = field.dataType();
    if (!KEY_TYPES.contains(type)) {
      throw new IllegalArgumentException(table + ": " + role + " column '" + field.name()
          + "' must be string or an integer type but is " + type.simpleString());
    }
  }
}
