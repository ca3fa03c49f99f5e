package dev.depthprobe.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.jobs.probe.FeatureTable;
import dev.depthprobe.jobs.probe.LayerSweep;
import dev.depthprobe.jobs.probe.ProbeJob;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code depthprobe probe}: a logistic-regression linear probe on a feature table. */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false)
public final class ProbeCommand extends SparkCommand {

  @Option(names = "--train", required = true, paramLabel = "FEATURES")
  String train;

  @ArgGroup(exclusive = true, multiplicity = "1")
  TestSet testSet;

  static final class TestSet {
    @Option(names = "--test", paramLabel = "FEATURES")
    String test;

    @Option(names = "--test-fraction", paramLabel = "F")
    Double testFraction;
  }

  @Option(names = "--output", required = true, paramLabel = "DIR")
  String output;

  @Option(names = "--run-id", paramLabel = "ID")
  String runId;

  @ArgGroup(exclusive = true)
  LayerChoice layerChoice = new LayerChoice();

  static final class LayerChoice {
    @Option(names = "--layer", paramLabel = "L")
    Integer layer;

    @Option(names = "--layers", paramLabel = "all|L[,L...]")
    String layers;
  }

  @Option(names = "--reg-params", split = ",", paramLabel = "R[,R...]", defaultValue = "0.0001,0.001,0.01,0.1,1")
  List<Double> regParams;

  @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0.2")
  double validationFraction;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42")
  long seed;

  @Option(names = "--max-iter", paramLabel = "N", defaultValue = "100")
  int maxIter;

  @Option(names = "--dry-run")
  boolean dryRun;

  @Mixin
  DeviceOption deviceOption;

  private RunOutput run;
  /** The layers of a sweep: null without --layers, empty for all. */
  private List<Integer> sweepLayers;

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
    if (layerChoice.layers != null) {
      sweepLayers = parseLayers(layerChoice.layers);
    }
    run = RunOutput.of(output, runId);
  }

  /** {@code all} (an empty list) or distinct layers of 0 and above. */
  static List<Integer> parseLayers(String value) {
    if (value.strip().equalsIgnoreCase("all")) {
      return List.of();
    }
    List<Integer> layers = new ArrayList<>();
    for (String part : value.split(",")) {
      try {
        layers.add(Integer.parseInt(part.strip()));
      } catch (NumberFormatException e) {
        throw new UserException("--layers must be all or a list of layers like 4,8,12, got '" + value + "'");
      }
    }
    if (layers.stream().anyMatch(l -> l < 0)) {
      throw new UserException("--layers: a layer is at least 0, got " + value);
    }
    if (new HashSet<>(layers).size() != layers.size()) {
      throw new UserException("--layers " + value + ": a layer is named twice");
    }
    return layers;
  }

  @Override
  protected void run(SparkSession spark, PrintWriter out) throws Exception {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    run = run.qualified(hadoopConf);
    run.checkWritable(hadoopConf);
    ProbeJob.Options options = new ProbeJob.Options(train, testSet.test, testSet.testFraction, seed, run.runPath(),
        regParams, validationFraction, maxIter, layerChoice.layer);
    if (sweepLayers != null) {
      sweep(spark, options, hadoopConf, out);
      return;
    }
    if (dryRun) {
      out.println(plan(ProbeJob.inputs(spark, options)));
      return;
    }
    run.deleteRun(hadoopConf);
    JsonNode metrics = ProbeJob.run(spark, options);
    run.markSuccess(hadoopConf);
    out.printf(Locale.ROOT, "Probe accuracy %.4f on %d test images (layer %d, recipe %s, regularisation %s)%n",
        metrics.path("accuracy").asDouble(), metrics.path("counts").path("test").asLong(),
        metrics.path("layer").asInt(), metrics.path("recipe").asText(),
        metrics.path("regularisation").path("chosen").asText());
    out.println("Wrote model, predictions and metrics.json to " + run.runPath());
  }

  private void sweep(SparkSession spark, ProbeJob.Options options, Configuration hadoopConf, PrintWriter out)
      throws Exception {
    List<Integer> layers = LayerSweep.layers(spark, options, sweepLayers.isEmpty() ? null : sweepLayers);
    if (dryRun) {
      List<String> lines = new ArrayList<>(List.of("probe plan (layer sweep over layers " + layers + "):"));
      for (int layer : layers) {
        ProbeJob.Inputs inputs = ProbeJob.inputs(spark, options.atLayer(layer, options.output()));
        lines.add(String.format(Locale.ROOT, "  layer %-6d train %s%s", layer, rows(inputs.trainRows()),
            inputs.testRows() != null ? "; test " + rows(inputs.testRows()) : ""));
      }
      if (testSet.testFraction != null) {
        lines.add("  test         " + testFraction());
      }
      lines.add(probeLine());
      lines.add("  sweep        " + LayerSweep.layerDir(run.runPath(), layers.get(0)) + " ... per layer; "
          + LayerSweep.JSON_FILE + " and " + LayerSweep.PNG_FILE + " in " + run.runPath());
      out.println(String.join(System.lineSeparator(), lines));
      return;
    }
    run.deleteRun(hadoopConf);
    JsonNode sweep = LayerSweep.run(spark, options, layers);
    run.markSuccess(hadoopConf);
    out.println("Layer sweep (test accuracy, macro F1, regularisation):");
    for (JsonNode layer : sweep.path("layers")) {
      out.printf(Locale.ROOT, "  layer %3d  %.4f  %.4f  %s%s%n", layer.path("layer").asInt(),
          layer.path("accuracy").asDouble(), layer.path("macro_f1").asDouble(), layer.path("reg_param").asText(),
          layer.path("layer").asInt() == sweep.path("best_layer").asInt() ? "  <- best" : "");
    }
    out.println("Wrote layer=L/ (model, predictions, metrics.json) per layer, " + LayerSweep.JSON_FILE + " and "
        + LayerSweep.PNG_FILE + " to " + run.runPath());
  }

  private String plan(ProbeJob.Inputs inputs) {
    return String.join(System.lineSeparator(),
        "probe plan:",
        "  train        " + train + ": " + rows(inputs.trainRows()) + " at layer " + inputs.layer(),
        "  test         " + (inputs.testRows() != null ? testSet.test + ": " + rows(inputs.testRows())
            : testFraction()),
        probeLine(),
        "  output       " + run.runPath() + " (model, predictions, metrics.json; a rerun replaces the folder)");
  }

  private String testFraction() {
    return String.format(Locale.ROOT, "%s of each label of --train (seed %d)", testSet.testFraction, seed);
  }

  private String probeLine() {
    return "  probe        logistic regression, regularisation " + regParams
        + (regParams.size() > 1 ? " chosen on a validation fraction " + validationFraction : "")
        + ", at most " + maxIter + " iterations";
  }

  private static String rows(FeatureTable.LayerRows rows) {
    return (rows.rows() - rows.errorRows() - rows.unlabelledRows()) + " usable rows (" + rows.errorRows()
        + " error and " + rows.unlabelledRows() + " unlabelled rows left out)";
  }
}
