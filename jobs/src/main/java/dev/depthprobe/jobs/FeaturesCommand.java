package dev.depthprobe.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.depthprobe.datasets.CifarReader;
import dev.depthprobe.datasets.ClassFolderReader;
import dev.depthprobe.datasets.ImageFilesReader;
import dev.depthprobe.datasets.InputSchema;
import dev.depthprobe.datasets.ParquetImagesReader;
import dev.depthprobe.datasets.SparkImageSourceReader;
import dev.depthprobe.imagegpt.FeatureSpec;
import dev.depthprobe.jobs.probe.FeatureSpecOptions;
import dev.depthprobe.udfs.FeaturePartitionFunction;
import dev.depthprobe.udfs.ImageCounters;
import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.distribution.DistributionPlan;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code depthprobe features}: ImageGPT linear-probe features for every image of an input, as Parquet. */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs an ImageGPT checkpoint over every image of the input and writes OUTPUT/run_id=RUN_ID with one "
            + "Parquet row per image AND asked layer: image_id, source, label, layer, features (the hidden state "
            + "averaged over the sequence), model, status, error; and OUTPUT/_summary.json (counts per image).",
        "An image that cannot be processed gives one error row per layer, with null features; the job goes on.",
        "Exit codes: 0 done (error rows included), 1 job failure, 2 bad arguments or unreadable model or input."})
public final class FeaturesCommand extends SparkCommand {
  private static final Logger LOG = LoggerFactory.getLogger(FeaturesCommand.class);
  private static final List<String> FORMATS = List.of("files", "parquet", "class-folders", "cifar10", "cifar100",
      "spark-image");

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Images: a folder or glob (files, spark-image), a class-folder root, a folder of CIFAR .bin "
          + "batches, or a Parquet table.")
  String input;

  @Option(names = "--input-format", paramLabel = "FORMAT", defaultValue = "files",
      description = "files, parquet, class-folders (label = sub-folder), cifar10, cifar100 (binary batches; "
          + "the layout is read from the class-name file beside them) or spark-image; default: ${DEFAULT-VALUE}.")
  String inputFormat;

  @Option(names = "--split-dirs", split = ",", paramLabel = "S[,S...]",
      description = "class-folders: read ROOT/<split>/<class>/... of these splits only; cifar10/cifar100: keep "
          + "these splits (train, test).")
  List<String> splitDirs;

  @Mixin
  ParquetColumns parquetColumns;

  @Option(names = "--label-column", paramLabel = "C",
      description = "Parquet input: the label column; when not given, the Hugging Face ClassLabel column or a "
          + "column named label, if any (ClassLabel indices become class names).")
  String labelColumn;

  @Option(names = "--model", paramLabel = "DIR", defaultValue = BundledSample.OPTION_VALUE,
      description = "ImageGPT checkpoint folder or Hugging Face cache folder models--ORG--NAME; default: the "
          + "bundled tiny ImageGPT with random weights.")
  String model;

  @Mixin
  FeatureSpecOptions featureOptions;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output folder (any Hadoop URI).")
  String output;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "The run partition; a rerun with the same id replaces only that partition (default: today's "
          + "date).")
  String runId;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8",
      description = "Images per forward pass; every batch is full, whatever the image sizes (default: "
          + "${DEFAULT-VALUE}).")
  int batchSize;

  @Mixin
  InputSlice slice;

  @Option(names = "--dry-run", description = "Check input, model and output, print the plan, run nothing.")
  boolean dryRun;

  @Mixin
  DeviceOption deviceOption;

  @Mixin
  ImageOptions imageOptions;

  @Mixin
  ModelDistributionOption distributionOption;

  @Spec
  CommandSpec spec;

  private Device device;
  private String modelName;
  private FeatureSpec featureSpec;
  private RunOutput run;

  @Override
  protected void validate() {
    if (batchSize < 1) {
      throw new UserException("--batch-size must be at least 1, got " + batchSize);
    }
    slice.validate();
    imageOptions.validate();
    if (common.threads != null && common.threads < 1) {
      throw new UserException("--threads must be at least 1, got " + common.threads);
    }
    if (!FORMATS.contains(inputFormat)) {
      throw new UserException("--input-format must be one of " + String.join(", ", FORMATS) + ", got '"
          + inputFormat + "'");
    }
    if (splitDirs != null && !List.of("class-folders", "cifar10", "cifar100").contains(inputFormat)) {
      throw new UserException("--split-dirs applies to class-folders, cifar10 and cifar100 input only");
    }
    run = new RunOutput(output, runId == null ? LocalDate.now().toString() : runId);
    model = BundledSample.IMAGEGPT_TINY.resolve(model);
    device = deviceOption.resolve(sparkConf);
  }

  @Override
  protected int run(SparkSession spark) throws Exception {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    DistributionPlan distribution = DistributionPlan.of(model, distributionOption.modelDistribution, hadoopConf,
        spark.sparkContext().isLocal());
    featureSpec = featureOptions.spec(distribution.config(), distribution.preprocessorConfig(), model);
    modelName = distribution.displayName();
    Dataset<Row> images = readInput(spark);
    ClassFolderHint.printIfClassFolders(hadoopConf, input, inputFormat, spec.commandLine().getErr());
    run.checkWritable(hadoopConf);
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun) {
      out.println(plan(images.count()));
      out.flush();
      return ExitCodes.OK;
    }
    LOG.info(plan(-1));
    ModelSource modelSource = distribution.distribute(spark);
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "features");
    StructType schema = FeaturePartitionFunction.outputSchema(featureSpec);
    Dataset<Row> features = images.mapPartitions(
        FeaturePartitionFunction.extractFeatures(modelSource, featureSpec, batchSize, common.threads, device,
            imageOptions.maxImagePixels, counters),
        Encoders.row(schema))
        // the row encoder drops column metadata: put the recipe back on the column, for the probe
        .withMetadata("features", schema.apply("features").metadata());

    Instant started = Instant.now();
    try (ProgressReporter progress = ProgressReporter.start("features", counters, Duration.ofSeconds(10))) {
      run.write(features);
    }
    Instant finished = Instant.now();
    // counts per image: the rows of one layer
    JobSummary.Counts counts = JobSummary.Counts.of(run.read(spark).where(col("layer").equalTo(featureSpec.layers()[0])));
    JobSummary summary = new JobSummary("features", run, started, finished, counts, counters.modelMillis(),
        modelSource.label(), modelSource.key(), spark.version());
    summary.write(hadoopConf);
    run.markSuccess(hadoopConf);
    out.println("Wrote " + counts.total() + " images (" + counts.ok() + " ok, " + counts.error() + " error) x "
        + featureSpec.layers().length + " layer(s) to " + run.runPath());
    out.println("Summary " + summary.path() + ":");
    out.println(summary.toJson());
    out.flush();
    return ExitCodes.OK;
  }

  /** The input as (image_id, source, content, label), with --limit and --partitions applied. */
  private Dataset<Row> readInput(SparkSession spark) throws Exception {
    Dataset<Row> images = InputReading.read(input, () -> switch (inputFormat) {
      case "parquet" -> ParquetImagesReader.read(spark, input, parquetColumns.imageColumn, parquetColumns.idColumn,
          labelColumn);
      case "spark-image" -> SparkImageSourceReader.read(spark, input);
      case "class-folders" -> splitDirs == null ? ClassFolderReader.read(spark, input)
          : ClassFolderReader.read(spark, input, splitDirs);
      case "cifar10", "cifar100" -> splitDirs == null ? CifarReader.read(spark, input)
          : CifarReader.read(spark, input).where(col(InputSchema.SPLIT).isin(splitDirs.toArray()));
      default -> ImageFilesReader.read(spark, input);
    });
    Column label = Arrays.asList(images.columns()).contains(InputSchema.LABEL) ? col(InputSchema.LABEL)
        : lit(null).cast("string").as(InputSchema.LABEL);
    images = images.select(col(InputSchema.IMAGE_ID), col(InputSchema.SOURCE), col(InputSchema.CONTENT), label);
    return slice.apply(images);
  }

  private String plan(long images) {
    return String.join(System.lineSeparator(),
        "features plan:",
        "  input        " + input + " (" + inputFormat + (splitDirs != null ? ", splits " + splitDirs : "")
            + (images >= 0 ? ", " + images + " images" : "") + ")" + slice.describe(),
        "  model        " + modelName + " (" + model + "), on " + device.optionValue(),
        "  features     layers " + Arrays.toString(featureSpec.layers()) + ", recipe "
            + featureSpec.recipe().name().toLowerCase(Locale.ROOT)
            + (featureSpec.prependSos() ? ", SOS prepended" + (featureSpec.poolSos() ? " and pooled" : "") : "")
            + ", batches of " + batchSize + (common.threads != null ? ", " + common.threads + " threads per task" : ""),
        "  output       " + run.runPath() + " (one row per image and layer; dynamic partition overwrite of run_id="
            + run.runId() + ")");
  }
}
