package dev.depthprobe.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.depthprobe.datasets.InputSchema;
import dev.depthprobe.imagegpt.FeatureSpec;
import dev.depthprobe.jobs.probe.FeatureSpecOptions;
import dev.depthprobe.udfs.FeaturePartitionFunction;
import dev.depthprobe.udfs.ImageCounters;
import dev.depthprobe.udfs.distribution.DistributionPlan;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code depthprobe features}: linear-probe features for every image of an input, as Parquet. */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false)
public final class FeaturesCommand extends ImageJobCommand {
  @Option(names = "--input", required = true, paramLabel = "PATH")
  String input;

  @Option(names = "--input-format", paramLabel = "FORMAT", defaultValue = "files")
  String inputFormat;

  @Option(names = "--split-dirs", split = ",", paramLabel = "S[,S...]")
  List<String> splitDirs;

  @Option(names = "--label-column", paramLabel = "C")
  String labelColumn;

  @Option(names = "--model", paramLabel = "DIR", defaultValue = BundledSample.OPTION_VALUE)
  String model;

  @Mixin
  FeatureSpecOptions featureOptions;

  @Option(names = "--output", required = true, paramLabel = "DIR")
  String output;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8")
  int batchSize;

  private FeatureSpec featureSpec;

  public FeaturesCommand() {
    super("features", List.of(InputFormat.FILES, InputFormat.PARQUET, InputFormat.CLASS_FOLDERS, InputFormat.CIFAR10,
        InputFormat.CIFAR100, InputFormat.SPARK_IMAGE));
  }

  @Override
  JobOptions options() {
    return new JobOptions(input, inputFormat, model, output, batchSize);
  }

  @Override
  void validateJob() {
    if (splitDirs != null && !format.hasSplits()) {
      throw new UserException("--split-dirs applies to class-folders, cifar10 and cifar100 input only");
    }
    model = BundledSample.IMAGEGPT_TINY.resolve(model);
  }

  @Override
  void checkModel(DistributionPlan checkpoint) {
    featureSpec = featureOptions.spec(checkpoint.config(), checkpoint.preprocessorConfig(), model);
  }

  /** The input as (image_id, source, content, label, read_error). */
  @Override
  Dataset<Row> readInput(SparkSession spark) throws Exception {
    Dataset<Row> images = read(spark, input, labelColumn, splitDirs);
    ClassFolderHint.printIfClassFolders(spark.sparkContext().hadoopConfiguration(), input, inputFormat,
        spec.commandLine().getErr());
    Column label = Arrays.asList(images.columns()).contains(InputSchema.LABEL) ? col(InputSchema.LABEL)
        : lit(null).cast("string").as(InputSchema.LABEL);
    return images.select(col(InputSchema.IMAGE_ID), col(InputSchema.SOURCE), col(InputSchema.CONTENT), label,
        InputSchema.readError(images));
  }

  @Override
  JobRows run(Dataset<Row> images, ModelSource modelSource, ImageCounters counters, SparkSession spark) {
    StructType schema = FeaturePartitionFunction.outputSchema(featureSpec);
    Dataset<Row> rows = images.mapPartitions(
            FeaturePartitionFunction.extractFeatures(modelSource, featureSpec, batchSize, common.threads, device,
                admissionOptions.limits(imageOptions.maxImagePixels, spark), counters),
            Encoders.row(schema))
        // the row encoder drops column metadata: put the recipe back on the column, for the probe
        .withMetadata("features", schema.apply("features").metadata());
    return new JobRows(rows, () -> FeaturePartitionFunction.buildAhead(modelSource, featureSpec, device, counters));
  }

  @Override
  String wrote(JobSummary.Counts counts) {
    return "Wrote " + counts.total() + " images (" + counts.ok() + " ok, " + counts.error() + " error) x "
        + featureSpec.layers().length + " layer(s)";
  }

  @Override
  String plan(DistributionPlan checkpoint, long images) {
    return String.join(System.lineSeparator(),
        "features plan:",
        "  input        " + input + " (" + inputFormat + (splitDirs != null ? ", splits " + splitDirs : "")
            + (images >= 0 ? ", " + images + " images" : "") + ")" + slice.describe(),
        "  model        " + checkpoint.displayName() + " (" + model + "), on " + device.optionValue(),
        "  features     layers " + Arrays.toString(featureSpec.layers()) + ", recipe "
            + featureSpec.recipe().name().toLowerCase(Locale.ROOT)
            + (featureSpec.prependSos() ? ", SOS prepended" + (featureSpec.poolSos() ? " and pooled" : "") : "")
            + ", batches of " + batchSize + (common.threads != null ? ", " + common.threads + " threads per task" : ""),
        "  output       " + run.runPath() + " (one row per image and layer; dynamic partition overwrite of run_id="
            + run.runId() + ")");
  }
}
