package dev.depthprobe.jobs.probe;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import dev.depthprobe.jobs.UserException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits the linear probe: standardised features, then MLlib's multinomial logistic regression (L2).
 * With several regularisation values, each is fitted on a stratified part of the training rows and
 * scored by accuracy on the rest (the validation rows); the best one (ties: the stronger) is refitted
 * on all training rows.
 */
public final class ProbeTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeTrainer.class);
  private static final String LABEL_INDEX = "label_index";
  public static final String PREDICTED_LABEL = "predicted_label";
  private static final String SCALED = "features_scaled";

  private final List<Double> regParams;
  private final double validationFraction;
  private final int maxIter;
  private final long seed;

  public ProbeTrainer(List<Double> regParams, double validationFraction, int maxIter, long seed) {
    if (regParams.isEmpty()) {
      throw new IllegalArgumentException("no regularisation value to try");
    }
    this.regParams = List.copyOf(regParams);
    this.validationFraction = validationFraction;
    this.maxIter = maxIter;
    this.seed = seed;
  }

  /**
   * The fitted pipeline ({@link FeatureTable#VECTOR} -> {@code prediction}, {@code probability},
   * {@link #PREDICTED_LABEL}), the chosen value and the validation accuracy of each value tried.
   */
  public record Fit(PipelineModel model, List<String> classes, double regParam,
      Map<Double, Double> validationAccuracy, long validationRows) {}

  /** @param train labelled rows with {@link FeatureTable#VECTOR} */
  public Fit fit(Dataset<Row> train) {
    StringIndexerModel labels = new StringIndexer().setInputCol("label").setOutputCol(LABEL_INDEX)
        .setStringOrderType("alphabetAsc").fit(train);
    Dataset<Row> indexed = labels.transform(train);
    Map<Double, Double> validationAccuracy = new LinkedHashMap<>();
    long validationRows = 0;
    double chosen = regParams.get(0);
    if (regParams.size() > 1) {
      StratifiedSplit.Parts parts = StratifiedSplit.split(indexed, validationFraction, seed);
      Dataset<Row> fitRows = parts.kept().cache();
      Dataset<Row> validation = parts.heldOut().cache();
      validationRows = validation.count();
      if (validationRows == 0) {
        throw new UserException("the validation split is empty: too few training rows for "
            + "--validation-fraction " + validationFraction);
      }
      double best = -1;
      for (double reg : regParams) {
        double accuracy = accuracy(pipeline(labels, reg).fit(fitRows).transform(validation));
        validationAccuracy.put(reg, accuracy);
        LOG.info("Probe regularisation {}: validation accuracy {}", reg, accuracy);
        if (accuracy > best || (accuracy == best && reg > chosen)) {
          best = accuracy;
          chosen = reg;
        }
      }
      fitRows.unpersist();
      validation.unpersist();
    }
    PipelineModel model = pipeline(labels, chosen).fit(indexed);
    return new Fit(model, List.of(labels.labelsArray()[0]), chosen, validationAccuracy, validationRows);
  }

  private Pipeline pipeline(StringIndexerModel labels, double regParam) {
    StandardScaler scaler = new StandardScaler().setInputCol(FeatureTable.VECTOR).setOutputCol(SCALED)
        .setWithMean(true).setWithStd(true);
    LogisticRegression regression = new LogisticRegression().setFamily("multinomial")
        .setFeaturesCol(SCALED).setLabelCol(LABEL_INDEX)
        .setRegParam(regParam).setElasticNetParam(0)
        .setStandardization(false) // the scaler already did it
        .setMaxIter(maxIter);
    IndexToString names = new IndexToString().setInputCol("prediction").setOutputCol(PREDICTED_LABEL)
        .setLabels(labels.labelsArray()[0]);
    return new Pipeline().setStages(new PipelineStage[] {scaler, regression, names});
  }

  /** The share of rows whose {@link #PREDICTED_LABEL} equals {@code label}. */
  static double accuracy(Dataset<Row> predictions) {
    return predictions.agg(avg(when(col(PREDICTED_LABEL).equalTo(col("label")), 1.0).otherwise(0.0)))
        .first().getDouble(0);
  }
}
