package dev.depthprobe.jobs.probe;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.when;

import dev.depthprobe.jobs.UserException;
import dev.depthprobe.udfs.FeaturePartitionFunction;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A feature table (the {@code features} job's Parquet output) as the probe reads it: one run, checked
 * columns, and per layer the labelled rows whose status is {@code ok}. Driver-only.
 */
public final class FeatureTable {
  /** The ML vector column the probe pipeline reads, made from {@code features}. */
  public static final String VECTOR = "features_vector";
  private static final Map<String, DataType> REQUIRED = Map.of(
      "image_id", DataTypes.StringType,
      "label", DataTypes.StringType,
      "layer", DataTypes.IntegerType,
      "status", DataTypes.StringType);

  private final String what;
  private final Dataset<Row> rows;
  private final Metadata featureMetadata;

  private FeatureTable(String what, Dataset<Row> rows, Metadata featureMetadata) {
    this.what = what;
    this.rows = rows;
    this.featureMetadata = featureMetadata;
  }

  /**
   * Reads the Parquet table at {@code path} ({@code option} names it in messages): a features output
   * folder holding one run, or one run's {@code run_id=...} folder.
   */
  public static FeatureTable read(SparkSession spark, String path, String option) {
    Dataset<Row> rows = OneRunTable.read(spark, path, option);
    StructType schema = rows.schema();
    checkColumns(schema, option + " " + path);
    return new FeatureTable(option + " " + path, rows, schema.apply("features").metadata());
  }

  static void checkColumns(StructType schema, String what) {
    List<String> names = List.of(schema.fieldNames());
    REQUIRED.forEach((name, type) -> {
      if (!names.contains(name)) {
        throw new UserException(what + ": not a feature table (no column '" + name + "'; columns: " + names + ")");
      }
      if (!schema.apply(name).dataType().equals(type)) {
        throw new UserException(what + ": column '" + name + "' is " + schema.apply(name).dataType().simpleString()
            + ", expected " + type.simpleString());
      }
    });
    if (!names.contains("features")) {
      throw new UserException(what + ": not a feature table (no column 'features'; columns: " + names + ")");
    }
    StructField features = schema.apply("features");
    if (!(features.dataType() instanceof ArrayType array && array.elementType() instanceof NumericType)) {
      throw new UserException(what + ": column 'features' is " + features.dataType().simpleString()
          + ", expected array<float>");
    }
  }

  /** The distinct layers of the table, ascending. */
  public List<Integer> layers() {
    return rows.select("layer").distinct().orderBy("layer").as(Encoders.INT()).collectAsList();
  }

  /** The table's rows at {@code layer}: labelled ok rows with {@link #VECTOR}, and what was left out. */
  public LayerRows atLayer(int layer) {
    Dataset<Row> atLayer = rows.where(col("layer").equalTo(layer));
    Row counts = atLayer.agg(
        count("*"),
        count(when(col("status").notEqual("ok"), 1)),
        count(when(col("status").equalTo("ok").and(col("label").isNull()), 1)))
        .first();
    if (counts.getLong(0) == 0) {
      throw new UserException(what + ": has no rows at layer " + layer + " (layers: " + layers() + ")");
    }
    Dataset<Row> usable = atLayer.where(col("status").equalTo("ok").and(col("label").isNotNull()))
        .withColumn(VECTOR, functions.array_to_vector(col("features").cast("array<double>")));
    return new LayerRows(usable, counts.getLong(0), counts.getLong(1), counts.getLong(2));
  }

  /** The recipe the features job recorded on the {@code features} column, or "unknown". */
  public String recipe() {
    return featureMetadata.contains(FeaturePartitionFunction.RECIPE_KEY)
        ? featureMetadata.getString(FeaturePartitionFunction.RECIPE_KEY) : "unknown";
  }

  /** Whether the SOS id was prepended (null when the table does not say). */
  public Boolean prependSos() {
    return featureMetadata.contains(FeaturePartitionFunction.PREPEND_SOS_KEY)
        ? featureMetadata.getBoolean(FeaturePartitionFunction.PREPEND_SOS_KEY) : null;
  }

  /** The distinct values of the {@code model} column, if the table has one. */
  public List<String> models() {
    if (!List.of(rows.columns()).contains("model")) {
      return List.of();
    }
    return rows.select("model").distinct().orderBy("model").as(Encoders.STRING()).collectAsList();
  }

  /**
   * One layer of a table: {@code usable} (status ok, labelled, with {@link #VECTOR}), {@code rows} at the
   * layer in all, {@code errorRows} whose status is not ok, {@code unlabelledRows} ok rows without label.
   */
  public record LayerRows(Dataset<Row> usable, long rows, long errorRows, long unlabelledRows) {}
}
