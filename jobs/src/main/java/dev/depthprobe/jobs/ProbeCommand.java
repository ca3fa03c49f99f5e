package dev.depthprobe.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.jobs.probe.FeatureTable;
import dev.depthprobe.jobs.probe.ProbeJob;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code depthprobe probe}: a logistic-regression linear probe on a feature table. */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Fits MLlib's multinomial logistic regression on standardised features of the features job "
            + "and reports its accuracy on test images.",
        "Rows whose status is not ok (and unlabelled rows) are left out and counted. Writes the run's folder "
            + "OUTPUT/run_id=RUN_ID: model (the fitted pipeline), predictions (Parquet), metrics.json, then "
            + "_SUCCESS; a rerun with the same id replaces that folder only."})
public final class ProbeCommand extends SparkCommand {

  @Option(names = "--train", required = true, paramLabel = "FEATURES",
      description = "Feature table to train on (one run: the features output or its run_id=... folder).")
  String train;

  @ArgGroup(exclusive = true, multiplicity = "1")
  TestSet testSet;

  static final class TestSet {
    @Option(names = "--test", paramLabel = "FEATURES", description = "Feature table to test on.")
    String test;

    @Option(names = "--test-fraction", paramLabel = "F",
        description = "Instead of --test: hold out this fraction of each label of --train.")
    Double testFraction;
  }

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Output folder (any Hadoop URI); the run's outputs go to OUTPUT/run_id=RUN_ID.")
  String output;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "The run folder; a rerun with the same id replaces only that folder (default: today's date).")
  String runId;

  @Option(names = "--layer", paramLabel = "L",
      description = "The layer to probe when the tables hold several (one row per image and layer).")
  Integer layer;

  @Option(names = "--reg-params", split = ",", paramLabel = "R[,R...]", defaultValue = "0.0001,0.001,0.01,0.1,1",
      description = "L2 regularisation values; with several, the best on a validation split of the training "
          + "rows is chosen (default: ${DEFAULT-VALUE}).")
  List<Double> regParams;

  @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0.2",
      description = "Share of each training label used to choose the regularisation (default: ${DEFAULT-VALUE}).")
  double validationFraction;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
      description = "Seed of the test and validation splits (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--max-iter", paramLabel = "N", defaultValue = "100",
      description = "Iterations of the logistic regression (default: ${DEFAULT-VALUE}).")
  int maxIter;

  @Option(names = "--dry-run", description = "Check the feature tables and the output, print the plan, run nothing.")
  boolean dryRun;

  @Mixin
  DeviceOption deviceOption;

  @Spec
  CommandSpec spec;

  private RunOutput run;

  @Override
  protected void validate() {
    deviceOption.requireNoGpu("probe", "MLlib's logistic regression on the executors' CPUs");
    if (testSet.testFraction != null && !(testSet.testFraction > 0 && testSet.testFraction < 1)) {
      throw new UserException("--test-fraction must be between 0 and 1, got " + testSet.testFraction);
    }
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new UserException("--validation-fraction must be between 0 and 1, got " + validationFraction);
    }
    if (regParams.stream().anyMatch(r -> !(r >= 0) || Double.isInfinite(r))) {
      throw new UserException("--reg-params must be finite and >= 0, got " + regParams);
    }
    if (maxIter < 1) {
      throw new UserException("--max-iter must be at least 1, got " + maxIter);
    }
    run = new RunOutput(output, runId == null ? LocalDate.now().toString() : runId);
  }

  @Override
  protected int run(SparkSession spark) throws Exception {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    run = run.qualified(hadoopConf);
    run.checkWritable(hadoopConf);
    ProbeJob.Options options = new ProbeJob.Options(train, testSet.test, testSet.testFraction, seed, run.runPath(),
        regParams, validationFraction, maxIter, layer);
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun) {
      out.println(plan(ProbeJob.inputs(spark, options)));
      out.flush();
      return ExitCodes.OK;
    }
    run.deleteRun(hadoopConf);
    JsonNode metrics = ProbeJob.run(spark, options);
    run.markSuccess(hadoopConf);
    out.printf(Locale.ROOT, "Probe accuracy %.4f on %d test images (layer %d, recipe %s, regularisation %s)%n",
        metrics.path("accuracy").asDouble(), metrics.path("counts").path("test").asLong(),
        metrics.path("layer").asInt(), metrics.path("recipe").asText(),
        metrics.path("regularisation").path("chosen").asText());
    out.println("Wrote model, predictions and metrics.json to " + run.runPath());
    out.flush();
    return ExitCodes.OK;
  }

  private String plan(ProbeJob.Inputs inputs) {
    return String.join(System.lineSeparator(),
        "probe plan:",
        "  train        " + train + ": " + rows(inputs.trainRows()) + " at layer " + inputs.layer(),
        "  test         " + (inputs.testRows() != null ? testSet.test + ": " + rows(inputs.testRows())
            : String.format(Locale.ROOT, "%s of each label of --train (seed %d)", testSet.testFraction, seed)),
        "  probe        logistic regression, regularisation " + regParams
            + (regParams.size() > 1 ? " chosen on a validation fraction " + validationFraction : "")
            + ", at most " + maxIter + " iterations",
        "  output       " + run.runPath() + " (model, predictions, metrics.json; a rerun replaces the folder)");
  }

  private static String rows(FeatureTable.LayerRows rows) {
    return (rows.rows() - rows.errorRows() - rows.unlabelledRows()) + " usable rows (" + rows.errorRows()
        + " error and " + rows.unlabelledRows() + " unlabelled rows left out)";
  }
}
