package dev.depthprobe.jobs.evaluate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring_index;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.datasets.GroundTruthPairing;
import dev.depthprobe.image.KbCrop;
import dev.depthprobe.jobs.UserException;
import dev.depthprobe.jobs.probe.MetricsFile;
import dev.depthprobe.jobs.probe.OneRunTable;
import dev.depthprobe.udfs.DepthRows;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * evaluate-depth: pairs the depth job's predictions with ground-truth files by file-name stem, computes
 * {@link DepthErrors} per image and writes {@code OUTPUT/per_image} (Parquet, {@link
 * EvaluateDepthFunction#SCHEMA}) and {@code OUTPUT/metrics.json} (the means over evaluated images).
 * Driver-only.
 */
public final class EvaluateDepthJob {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateDepthJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, DataType> REQUIRED = Map.of(
      "image_id", DataTypes.StringType,
      "depth", DataTypes.createArrayType(DataTypes.FloatType, false),
      "depth_height", DataTypes.IntegerType,
      "depth_width", DataTypes.IntegerType,
      "status", DataTypes.StringType,
      "error", DataTypes.StringType);

  /**
   * @param maxDepth {@code null}: the model's max_depth, which the depth job records with its predictions
   * @param protocol how the errors are computed (BTS's or GLPDepth's)
   */
  public record Options(String predictions, String groundTruth, String output, double minDepth, Double maxDepth,
      DepthCrop crop, DepthProtocol protocol) {}

  private EvaluateDepthJob() {}

  /** Runs the evaluation and returns the content of {@code metrics.json}. */
  public static ObjectNode run(SparkSession spark, Options options) throws IOException {
    Dataset<Row> predictions = OneRunTable.read(spark, options.predictions(), "--predictions");
    checkColumns(predictions.schema(), "--predictions " + options.predictions());
    DepthErrors.Range range = range(options, predictions.schema());
    Dataset<Row> paired;
    try {
      paired = GroundTruthPairing.withDepthGroundTruth(
          predictions.select(col("image_id"), col("depth"), col("depth_height"), col("depth_width"), col("status"),
              col("error"), kbCrop(predictions.schema()).as(KbCrop.COLUMN)),
          options.groundTruth());
    } catch (Exception e) {
      if (e instanceof IllegalArgumentException || e instanceof AnalysisException) {
        throw new UserException("--ground-truth " + options.groundTruth() + ": "
            + e.getMessage().lines().findFirst().orElse(""));
      }
      throw e;
    }
    Dataset<Row> perImage = paired
        .map(EvaluateDepthFunction.evaluate(range), Encoders.row(EvaluateDepthFunction.SCHEMA))
        .cache();
    try {
      refuseRunMistakes(perImage);
      String perImagePath = options.output() + "/per_image";
      perImage.write().mode(SaveMode.Overwrite).parquet(perImagePath);
      ObjectNode report = report(spark.read().parquet(perImagePath), options, range);
      MetricsFile.write(spark, options.output(), report);
      LOG.info("evaluate-depth: {} images evaluated, abs_rel {}, delta1 {}", report.path("images").path("evaluated"),
          report.path("mean").path("abs_rel"), report.path("mean").path("delta1"));
      return report;
    } finally {
      perImage.unpersist();
    }
  }

  /** The predictions' {@code kb_crop} column, or false for predictions made without the KB crop. */
  private static Column kbCrop(StructType predictions) {
    if (!List.of(predictions.fieldNames()).contains(KbCrop.COLUMN)) {
      return lit(false);
    }
    if (!predictions.apply(KbCrop.COLUMN).dataType().equals(DataTypes.BooleanType)) {
      throw new UserException("--predictions: column '" + KbCrop.COLUMN + "' is "
          + predictions.apply(KbCrop.COLUMN).dataType().simpleString() + ", expected boolean");
    }
    return col(KbCrop.COLUMN).isNotNull().and(col(KbCrop.COLUMN));
  }

  /** The valid-depth range: the options', with the max depth the predictions record unless one is given. */
  private static DepthErrors.Range range(Options options, StructType predictions) {
    double maxDepth;
    if (options.maxDepth() != null) {
      maxDepth = options.maxDepth();
    } else {
      OptionalDouble recorded = DepthRows.maxDepth(predictions);
      if (recorded.isEmpty()) {
        throw new UserException("--predictions " + options.predictions() + ": no max_depth recorded with the depth "
            + "column (not written by this version of the depth job); give --max-depth");
      }
      maxDepth = recorded.getAsDouble();
    }
    if (!(options.minDepth() > 0 && maxDepth > options.minDepth()) || Double.isInfinite(maxDepth)) {
      throw new UserException("need 0 < --min-depth < --max-depth, got " + options.minDepth() + " and " + maxDepth);
    }
    return new DepthErrors.Range(options.minDepth(), maxDepth, options.crop(), options.protocol());
  }

  static void checkColumns(StructType schema, String what) {
    List<String> names = List.of(schema.fieldNames());
    REQUIRED.forEach((name, type) -> {
      if (!names.contains(name)) {
        throw new UserException(what + ": not a depth output (no column '" + name + "'; columns: " + names + ")");
      }
      DataType actual = schema.apply(name).dataType();
      boolean matches = type instanceof ArrayType array
          ? actual instanceof ArrayType a && a.elementType().equals(array.elementType())
          : actual.equals(type);
      if (!matches) {
        throw new UserException(what + ": column '" + name + "' is " + schema.apply(name).dataType().simpleString()
            + ", expected " + type.simpleString());
      }
    });
  }

  /**
   * Predictions at another size than their ground truth, or a crop that does not fit it, are a mistake
   * of the whole run: the job stops with one line before writing anything.
   */
  private static void refuseRunMistakes(Dataset<Row> perImage) {
    for (String kind : List.of(EvaluateDepthFunction.SIZE_MISMATCH, EvaluateDepthFunction.CROP_MISMATCH)) {
      Dataset<Row> wrong = perImage.where(col("error").startsWith(kind + ":"));
      List<Row> first = wrong.select("image_id", "error").limit(1).collectAsList();
      if (!first.isEmpty()) {
        long n = wrong.count();
        String error = first.get(0).getString(1);
        throw new UserException(n + " prediction(s) cannot be compared with their ground truth, e.g. "
            + first.get(0).getString(0) + ": " + error.substring(kind.length() + 2)
            + (kind.equals(EvaluateDepthFunction.SIZE_MISMATCH)
                ? "; predictions must be at the ground truth's size (run the depth job at the original resolution)"
                : ""));
      }
    }
  }

  private static ObjectNode report(Dataset<Row> perImage, Options options, DepthErrors.Range range) {
    ObjectNode report = JSON.createObjectNode();
    Dataset<Row> ok = perImage.where(col("status").equalTo("ok"));
    Column[] means = new Column[DepthErrors.NAMES.length];
    for (int i = 0; i < means.length; i++) {
      means[i] = avg(DepthErrors.NAMES[i]);
    }
    Row mean = ok.agg(means[0], Arrays.copyOfRange(means, 1, means.length)).first();
    ObjectNode meanNode = report.putObject("mean");
    for (int i = 0; i < DepthErrors.NAMES.length; i++) {
      if (mean.isNullAt(i)) {
        meanNode.putNull(DepthErrors.NAMES[i]);
      } else {
        meanNode.put(DepthErrors.NAMES[i], mean.getDouble(i));
      }
    }
    Map<String, Long> kinds = new TreeMap<>();
    long total = 0;
    long evaluated = 0;
    for (Row r : perImage.groupBy(col("status"), substring_index(col("error"), ":", 1)).count().collectAsList()) {
      total += r.getLong(2);
      if ("ok".equals(r.getString(0))) {
        evaluated += r.getLong(2);
      } else {
        kinds.merge(r.getString(1), r.getLong(2), Long::sum);
      }
    }
    ObjectNode images = report.putObject("images");
    images.put("predictions", total);
    images.put("evaluated", evaluated);
    images.put("not_evaluated", total - evaluated);
    ObjectNode kindNode = images.putObject("not_evaluated_by_kind");
    kinds.forEach(kindNode::put);
    report.put("min_depth", range.minDepth());
    report.put("max_depth", range.maxDepth());
    report.put("crop", range.crop() == null ? "none" : range.crop().name().toLowerCase(Locale.ROOT));
    report.put("protocol", range.protocol().name().toLowerCase(Locale.ROOT));
    report.put("silog", range.protocol() == DepthProtocol.BTS ? "100 * sqrt(mean(e^2) - mean(e)^2)"
        : "sqrt(mean(e^2) - 0.5 * mean(e)^2)");
    images.put("kb_cropped", perImage.where(col(KbCrop.COLUMN)).count());
    report.put("averaging", "mean over images of the per-image metrics");
    report.put("predictions", options.predictions());
    report.put("ground_truth", options.groundTruth());
    return report;
  }
}
