package dev.depthprobe.datasets;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Parquet table with one row per image, converted to the {@link InputSchema}. The image column
 * holds the encoded file, either as {@code binary} or as a Hugging Face {@code datasets} image
 * struct ({@code struct<bytes: binary, path: string>}). The id and label columns may be strings or
 * integers; they are cast to strings, except that an integer label whose class names the file's
 * {@code datasets} description holds ({@link HuggingFaceFeatures}, a {@code ClassLabel}) becomes the
 * class name (an index outside the names, such as {@code datasets}' -1 for "no label", becomes null).
 * {@code source} is {@code <parquet file>#<row index in that file>}. A folder without Parquet files
 * at its top level is read recursively (a dataset repository keeps them in sub-folders).
 *
 * <p>A column the caller does not name is found ({@link ParquetColumnDetection}): the image column by
 * that description or its type; the label column by the description's one {@code ClassLabel} or the
 * name {@code label}. Without an id column, the id is the image struct's {@code path} where it is set
 * and unique in the table, else {@code <file name>#<row index>}.
 *
 * <p>The column names and types are checked on the schema before any data moves, as Spark ML's
 * {@code transformSchema} does.
 *
 * <p>Reading sets the session's Parquet reader batch to a few rows ({@link ParquetReaderBatch}): a table written
 * with large row groups (pyarrow keeps up to a million rows in one) would otherwise need about twice its row group
 * in a task's memory.
 */
public final class ParquetImagesReader {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetImagesReader.class);
  private static final Set<DataType> KEY_TYPES = Set.of(DataTypes.StringType, DataTypes.ByteType,
      DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType);
  private static final Set<DataType> INTEGER_TYPES = Set.of(DataTypes.ByteType, DataTypes.ShortType,
      DataTypes.IntegerType, DataTypes.LongType);

  private ParquetImagesReader() {}

  /** Images without labels; {@code imageColumn} and {@code idColumn} may be null (found as the class says). */
  public static Dataset<Row> read(SparkSession spark, String path, String imageColumn, String idColumn) {
    return read(spark, path, imageColumn, idColumn, null, false);
  }

  /**
   * Images with labels: as {@link #read(SparkSession, String, String, String)}, with the label column
   * {@code labelColumn}, or when it is null the one the table's description or schema shows (none if
   * there is none).
   */
  public static Dataset<Row> read(SparkSession spark, String path, String imageColumn, String idColumn,
      String labelColumn) {
    return read(spark, path, imageColumn, idColumn, labelColumn, true);
  }

  private static Dataset<Row> read(SparkSession spark, String path, String imageColumn, String idColumn,
      String labelColumn, boolean findLabel) {
    ParquetReaderBatch.useFewRows(spark);
    Dataset<Row> table = table(spark, path);
    StructType schema = table.schema();
    HuggingFaceFeatures features = HuggingFaceFeatures.read(spark.sparkContext().hadoopConfiguration(), path);
    String image = imageColumn != null ? imageColumn
        : ParquetColumnDetection.imageColumn(schema, features, path);
    String label = labelColumn != null || !findLabel ? labelColumn
        : ParquetColumnDetection.labelColumn(schema, features, path);
    Column imageBytes = checkSchema(schema, path, image, idColumn, label);
    Column id = idColumn != null ? col(idColumn).cast(DataTypes.StringType) : defaultId(table, image, path);
    List<Column> columns = new ArrayList<>(List.of(
        id.as(InputSchema.IMAGE_ID),
        concat(col("_metadata.file_path"), lit("#"), col("_metadata.row_index")).as(InputSchema.SOURCE),
        imageBytes.as(InputSchema.CONTENT)));
    if (label != null) {
      columns.add(label(schema.apply(label), features.classNames(label)).as(InputSchema.LABEL));
      LOG.info("{}: labels from column '{}'{}", path, label,
          features.classNames(label).map(n -> " (ClassLabel with " + n.size() + " names)").orElse(""));
    }
    return table.select(columns.toArray(Column[]::new));
  }

  /**
   * The table at {@code path}; a folder whose Parquet files sit in sub-folders that are not partitions
   * (a Hugging Face dataset repository: {@code ROOT/data/train-00000-of-00001.parquet}) is read
   * recursively.
   */
  private static Dataset<Row> table(SparkSession spark, String path) {
    try {
      return spark.read().parquet(path);
    } catch (Exception e) {
      if (!(e instanceof AnalysisException analysis && "UNABLE_TO_INFER_SCHEMA".equals(analysis.getCondition()))) {
        throw e;
      }
      LOG.info("{}: no Parquet file at the top level; reading the files of its sub-folders", path);
      return spark.read().option("recursiveFileLookup", true).parquet(path);
    }
  }

  /**
   * Throws a one-line {@link IllegalArgumentException} unless the columns exist with usable types;
   * returns the expression for the image bytes. {@code idColumn} and {@code labelColumn} may be null.
   */
  static Column checkSchema(StructType schema, String table, String imageColumn, String idColumn,
      String labelColumn) {
    DataType imageType = field(schema, table, imageColumn, "image").dataType();
    Column image;
    if (imageType.equals(DataTypes.BinaryType)) {
      image = col(imageColumn);
    } else if (ParquetColumnDetection.isHuggingFaceImage(imageType)) {
      image = col(imageColumn).getField(ParquetColumnDetection.HF_IMAGE_BYTES);
    } else {
      throw new IllegalArgumentException(table + ": image column '" + imageColumn
          + "' must be binary or struct<bytes: binary, ...> but is " + imageType.simpleString());
    }
    if (idColumn != null) {
      requireStringOrInteger(field(schema, table, idColumn, "id"), table, "id");
    }
    if (labelColumn != null) {
      requireStringOrInteger(field(schema, table, labelColumn, "label"), table, "label");
    }
    return image;
  }

  static boolean isKeyType(DataType type) {
    return KEY_TYPES.contains(type);
  }

  /**
   * The image struct's {@code path} when every row has one and no two are equal (one pass over that
   * field only), else {@code <file name>#<row index>}.
   */
  private static Column defaultId(Dataset<Row> table, String imageColumn, String path) {
    if (ParquetColumnDetection.hasImagePath(table.schema().apply(imageColumn).dataType())) {
      Column imagePath = col(imageColumn).getField(ParquetColumnDetection.HF_IMAGE_PATH);
      Row counts = table.agg(count(lit(1)), count(imagePath), count_distinct(imagePath)).first();
      if (counts.getLong(0) > 0 && counts.getLong(0) == counts.getLong(1) && counts.getLong(1) == counts.getLong(2)) {
        LOG.info("{}: image ids from {}.path (set and unique in all {} rows)", path, imageColumn, counts.getLong(0));
        return imagePath;
      }
      LOG.info("{}: {}.path is not set and unique in every row ({} rows, {} set, {} distinct); image ids are "
          + "<file>#<row>", path, imageColumn, counts.getLong(0), counts.getLong(1), counts.getLong(2));
    }
    return concat(substring_index(col("_metadata.file_path"), "/", -1), lit("#"), col("_metadata.row_index"));
  }

  /** The label as a string: the class name of an integer ClassLabel index, else the value cast. */
  private static Column label(StructField field, Optional<List<String>> classNames) {
    Column value = col(field.name());
    if (classNames.isEmpty() || !INTEGER_TYPES.contains(field.dataType())) {
      return value.cast(DataTypes.StringType);
    }
    List<String> names = classNames.get();
    Column namesArray = functions.array(names.stream().map(functions::lit).toArray(Column[]::new));
    return when(value.geq(0).and(value.lt(names.size())), element_at(namesArray, value.cast("int").plus(1)));
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
