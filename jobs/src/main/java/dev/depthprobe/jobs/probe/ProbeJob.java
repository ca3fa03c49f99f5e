package dev.depthprobe.jobs.probe;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.jobs.UserException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The linear probe from feature tables to its three outputs under {@code output}: {@code model/} (the
 * fitted MLlib pipeline, input column {@link FeatureTable#VECTOR}), {@code predictions/} (Parquet, one
 * row per test image) and {@code metrics.json}. Driver-only.
 */
public final class ProbeJob {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What to run: {@code test} or else {@code testFraction} of {@code train} (stratified by label);
   * {@code layer} may be null when the tables hold one layer.
   */
  public record Options(String train, String test, Double testFraction, long seed, String output,
      List<Double> regParams, double validationFraction, int maxIter, Integer layer) {

    /** The same probe at {@code layer}, written to {@code output}. */
    public Options atLayer(int layer, String output) {
      return new Options(train, test, testFraction, seed, output, regParams, validationFraction, maxIter, layer);
    }
  }

  private ProbeJob() {}

  /**
   * The checked feature tables: the layer to probe, the training table and its rows at that layer, and
   * the test table's rows at it ({@code null} with a test fraction).
   */
  public record Inputs(FeatureTable trainTable, int layer, FeatureTable.LayerRows trainRows,
      FeatureTable.LayerRows testRows) {}

  /** Reads the tables, checks their columns, runs and layer, and counts their rows at the layer; fits nothing. */
  public static Inputs inputs(SparkSession spark, Options options) {
    FeatureTable trainTable = FeatureTable.read(spark, options.train(), "--train");
    int layer = chooseLayer(trainTable.layers(), options.layer(), "--train " + options.train());
    FeatureTable.LayerRows trainRows = requireLabels(trainTable.atLayer(layer), "--train " + options.train(), layer);
    FeatureTable.LayerRows testRows = options.test() == null ? null
        : requireLabels(FeatureTable.read(spark, options.test(), "--test").atLayer(layer), "--test " + options.test(),
            layer);
    return new Inputs(trainTable, layer, trainRows, testRows);
  }

  /** Runs the probe and returns the content of {@code metrics.json}. */
  public static ObjectNode run(SparkSession spark, Options options) throws IOException {
    Inputs inputs = inputs(spark, options);
    FeatureTable trainTable = inputs.trainTable();
    int layer = inputs.layer();
    FeatureTable.LayerRows trainRows = inputs.trainRows();
    FeatureTable.LayerRows testRows = inputs.testRows();
    Dataset<Row> train;
    Dataset<Row> test;
    if (testRows != null) {
      train = trainRows.usable();
      test = testRows.usable();
    } else {
      StratifiedSplit.Parts parts = StratifiedSplit.split(trainRows.usable(), options.testFraction(), options.seed());
      train = parts.kept();
      test = parts.heldOut();
    }
    train = train.cache();
    test = test.cache();
    long trainCount = train.count();
    long testCount = test.count();
    long classes = train.select("label").distinct().count();
    if (classes < 2) {
      throw new UserException("the training rows at layer " + layer + " have " + classes
          + " label(s); the probe needs at least 2");
    }
    if (testCount == 0) {
      throw new UserException("no test rows at layer " + layer
          + (options.test() != null ? " in --test " + options.test() : ": raise --test-fraction"));
    }
    LOG.info("Probe at layer {}: {} training rows, {} test rows, {} classes", layer, trainCount, testCount, classes);

    ProbeTrainer.Fit fit = new ProbeTrainer(options.regParams(), options.validationFraction(), options.maxIter(),
        options.seed()).fit(train);
    String predictionsPath = options.output() + "/predictions";
    fit.model().transform(test)
        .select(col("image_id"), col("source"), col("label"), col(ProbeTrainer.PREDICTED_LABEL),
            functions.vector_to_array(col("probability"), "float64").as("probability"), col("layer"))
        .write().mode(SaveMode.Overwrite).parquet(predictionsPath);
    fit.model().write().overwrite().save(options.output() + "/model");
    ProbeMetrics metrics = ProbeMetrics.fromPairCounts(pairCounts(spark.read().parquet(predictionsPath)));
    train.unpersist();
    test.unpersist();

    ObjectNode report = report(metrics, fit, layer, trainTable, options);
    ObjectNode counts = report.putObject("counts");
    ObjectNode trainCounts = counts.putObject(options.test() != null ? "train_table" : "table");
    putCounts(trainCounts, trainRows);
    if (testRows != null) {
      putCounts(counts.putObject("test_table"), testRows);
    }
    counts.put("train", trainCount);
    counts.put("validation", fit.validationRows());
    counts.put("test", testCount);
    MetricsFile.write(spark, options.output(), report);
    LOG.info("Probe accuracy {} at layer {} (regularisation {})", metrics.accuracy(), layer, fit.regParam());
    return report;
  }

  /** The rows, unless every ok row is unlabelled: then a one-line error that says how to get labels. */
  static FeatureTable.LayerRows requireLabels(FeatureTable.LayerRows rows, String what, int layer) {
    long ok = rows.rows() - rows.errorRows();
    if (ok > 0 && rows.unlabelledRows() == ok) {
      throw new UserException(what + ": none of its " + ok + " ok rows at layer " + layer + " has a label; the "
          + "probe needs labelled features: run features with --input-format class-folders (label = sub-folder "
          + "name), on a labelled Parquet (--input-format parquet with --label-column, or a Hugging Face dataset "
          + "with a ClassLabel column), or on cifar10/cifar100 batches");
    }
    return rows;
  }

  static int chooseLayer(List<Integer> layers, Integer asked, String what) {
    if (asked != null) {
      if (!layers.contains(asked)) {
        throw new UserException(what + ": has no layer " + asked + " (layers: " + layers + ")");
      }
      return asked;
    }
    if (layers.size() != 1) {
      throw new UserException(what + ": holds layers " + layers + "; pick one with --layer, or probe each with "
          + "--layers all");
    }
    return layers.get(0);
  }

  private static Map<String, Map<String, Long>> pairCounts(Dataset<Row> predictions) {
    Map<String, Map<String, Long>> counts = new HashMap<>();
    for (Row r : predictions.groupBy("label", ProbeTrainer.PREDICTED_LABEL).count().collectAsList()) {
      counts.computeIfAbsent(r.getString(0), k -> new HashMap<>()).put(r.getString(1), r.getLong(2));
    }
    return counts;
  }

  private static ObjectNode report(ProbeMetrics metrics, ProbeTrainer.Fit fit, int layer, FeatureTable train,
      Options options) {
    ObjectNode report = JSON.createObjectNode();
    report.put("accuracy", metrics.accuracy());
    report.put("macro_f1", metrics.macroF1());
    report.put("layer", layer);
    report.put("recipe", train.recipe());
    if (train.prependSos() != null) {
      report.put("prepend_sos", train.prependSos());
    }
    ArrayNode models = report.putArray("models");
    train.models().forEach(models::add);
    ArrayNode classes = report.putArray("classes");
    fit.classes().forEach(classes::add);
    ObjectNode perClass = report.putObject("per_class");
    metrics.perClass().forEach((label, m) -> perClass.putObject(label)
        .put("precision", m.precision()).put("recall", m.recall()).put("f1", m.f1()).put("support", m.support()));
    ObjectNode confusion = report.putObject("confusion_matrix");
    confusion.put("rows", "true label");
    confusion.put("columns", "predicted label");
    ArrayNode labels = confusion.putArray("labels");
    metrics.labels().forEach(labels::add);
    ArrayNode matrix = confusion.putArray("counts");
    for (long[] row : metrics.confusion()) {
      ArrayNode r = matrix.addArray();
      for (long v : row) {
        r.add(v);
      }
    }
    ObjectNode reg = report.putObject("regularisation");
    reg.put("chosen", fit.regParam());
    ArrayNode grid = reg.putArray("grid");
    options.regParams().forEach(grid::add);
    reg.put("validation_fraction", options.validationFraction());
    ObjectNode validation = reg.putObject("validation_accuracy");
    fit.validationAccuracy().forEach((value, accuracy) -> validation.put(String.valueOf(value), accuracy));
    report.put("train", options.train());
    if (options.test() != null) {
      report.put("test", options.test());
    } else {
      report.put("test_fraction", options.testFraction());
    }
    report.put("seed", options.seed());
    report.put("max_iter", options.maxIter());
    return report;
  }

  private static void putCounts(ObjectNode node, FeatureTable.LayerRows rows) {
    node.put("rows", rows.rows());
    node.put("error_rows", rows.errorRows());
    node.put("unlabelled_rows", rows.unlabelledRows());
    node.put("used", rows.rows() - rows.errorRows() - rows.unlabelledRows());
  }
}
