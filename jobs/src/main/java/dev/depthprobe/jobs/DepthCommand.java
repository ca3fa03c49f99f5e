package dev.depthprobe.jobs;

import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.datasets.ImageFilesReader;
import dev.depthprobe.datasets.InputSchema;
import dev.depthprobe.datasets.ParquetImagesReader;
import dev.depthprobe.datasets.SparkImageSourceReader;
import dev.depthprobe.glpn.GlpnConfig;
import dev.depthprobe.glpn.GlpnImageProcessor;
import dev.depthprobe.udfs.DepthPartitionFunction;
import dev.depthprobe.udfs.DepthPngFiles;
import dev.depthprobe.udfs.DepthRows;
import dev.depthprobe.udfs.DepthTaskSettings;
import dev.depthprobe.udfs.ImageCounters;
import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.distribution.DistributionPlan;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code depthprobe depth}: GLPN depth for every image of an input, as Parquet partitioned by run. */
@Command(name = "depth", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Estimates depth with a GLPN checkpoint for every image of the input and writes one Parquet row per "
            + "image to OUTPUT/run_id=RUN_ID (image_id, source, width, height, depth, depth_height, depth_width, "
            + "depth_min, depth_max, depth_mean, model, status, error), then _SUCCESS and _summary.json beside them.",
        "An image that cannot be processed is a row with status 'error' and a one-line error; the job goes on.",
        "Without arguments it runs the bundled sample images through the bundled tiny GLPN (random weights).",
        "Exit codes: 0 done (error rows included), 1 job failure, 2 bad arguments or unreadable model or input."})
public final class DepthCommand extends SparkCommand {
  private static final Logger LOG = LoggerFactory.getLogger(DepthCommand.class);
  static final String DEFAULT_OUTPUT = "depthprobe-output";

  /** {@code --depth-resolution}: the depth at the original image size, or at the model's input size. */
  enum DepthResolution { ORIGINAL, MODEL }

  @Option(names = "--input", paramLabel = "DIR_OR_GLOB", defaultValue = BundledSample.OPTION_VALUE,
      description = "Images: a folder (recursively) or a glob of image files; a Parquet table with "
          + "--input-format parquet; default: the bundled sample images.")
  String input;

  @Option(names = "--input-format", paramLabel = "FORMAT", defaultValue = "files",
      description = "files (Spark's binaryFile source), parquet (a binary or Hugging Face image column), or "
          + "spark-image (Spark's image source, BGR); default: ${DEFAULT-VALUE}.")
  String inputFormat;

  @Mixin
  ParquetColumns parquetColumns;

  @Option(names = "--model", paramLabel = "DIR", defaultValue = BundledSample.OPTION_VALUE,
      description = "GLPN checkpoint folder (config.json, preprocessor_config.json, weights) or Hugging Face "
          + "cache folder models--ORG--NAME; default: the bundled tiny GLPN with random weights.")
  String model;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = DEFAULT_OUTPUT,
      description = "Output folder (any Hadoop file system URI); default: ${DEFAULT-VALUE}.")
  String output;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "The run partition; a rerun with the same id replaces only that partition (default: today's "
          + "date).")
  String runId;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "4",
      description = "Images of the same processed size per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--depth-resolution", paramLabel = "R", defaultValue = "original",
      description = "original (bicubic post-processing to the image size) or model (the model's output size); "
          + "default: ${DEFAULT-VALUE}.")
  DepthResolution depthResolution;

  @Option(names = "--png-dir", paramLabel = "DIR",
      description = "Also write DIR/kitti16/ID.png (16-bit, round(metres*256)) and DIR/color/ID.png (colormap) "
          + "per image, from the executors.")
  String pngDir;

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
    if (!List.of("files", "parquet", "spark-image").contains(inputFormat)) {
      throw new UserException("--input-format must be files, parquet or spark-image, got '" + inputFormat + "'");
    }
    if (inputFormat.equals("parquet")
        && (!parquetColumns.complete() || input.equals(BundledSample.OPTION_VALUE))) {
      throw new UserException("--input-format parquet needs --input, --image-column and --id-column");
    }
    run = new RunOutput(output, runId == null ? LocalDate.now().toString() : runId);
    model = BundledSample.GLPN_TINY.resolve(model);
    input = BundledSample.IMAGES.resolve(input);
    device = deviceOption.resolve(sparkConf);
  }

  @Override
  protected int run(SparkSession spark) throws Exception {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    DistributionPlan distribution = glpnCheckpoint(spark);
    Dataset<Row> images = readInput(spark);
    run = run.qualified(hadoopConf);
    run.checkWritable(hadoopConf);
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun) {
      out.println(plan(distribution, images.count()));
      out.flush();
      return ExitCodes.OK;
    }
    LOG.info(plan(distribution, -1));
    ModelSource modelSource = distribution.distribute(spark);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    DepthPngFiles pngFiles = pngDir == null ? null
        : new DepthPngFiles(pngDir, jsc.broadcast(new SerializableConfiguration(hadoopConf)));
    boolean failFirstAttempt = Boolean.parseBoolean(spark.conf().get(DepthPartitionFunction.FAIL_FIRST_ATTEMPT, "false"));
    DepthTaskSettings settings = new DepthTaskSettings(batchSize, depthResolution == DepthResolution.ORIGINAL,
        common.threads, device, imageOptions.maxImagePixels, failFirstAttempt);
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "depth");
    Dataset<Row> depth = images.mapPartitions(
            DepthPartitionFunction.depthRows(modelSource, settings, pngFiles, counters), Encoders.row(DepthRows.SCHEMA))
        // the model's max_depth, evaluate-depth's default range
        .withMetadata("depth", DepthRows.depthMetadata(GlpnConfig.fromJson(distribution.config()).maxDepth()));

    Instant started = Instant.now();
    try (ProgressReporter progress = ProgressReporter.start("depth", counters, Duration.ofSeconds(10))) {
      run.write(depth);
    }
    Instant finished = Instant.now();
    JobSummary summary = new JobSummary("depth", run, started, finished, JobSummary.Counts.of(run.read(spark)),
        counters.modelMillis(), modelSource.label(), modelSource.key(), spark.version());
    summary.write(hadoopConf);
    run.markSuccess(hadoopConf);
    out.println("Wrote " + summary.counts().total() + " rows (" + summary.counts().ok() + " ok, "
        + summary.counts().error() + " error) to " + run.runPath());
    out.println("Summary " + summary.path() + ":");
    out.println(summary.toJson());
    out.flush();
    return ExitCodes.OK;
  }

  /** The checkpoint (read through Hadoop's file system), checked to be a usable GLPN before any work. */
  private DistributionPlan glpnCheckpoint(SparkSession spark) {
    DistributionPlan checkpoint = DistributionPlan.of(model, distributionOption.modelDistribution,
        spark.sparkContext().hadoopConfiguration(), spark.sparkContext().isLocal());
    GlpnConfig.fromJson(checkpoint.config());
    try {
      GlpnImageProcessor.fromConfig(checkpoint.preprocessorConfig());
    } catch (CheckpointException e) { // names the file and the key
      throw new UserException("--model " + model + ": " + e.getMessage());
    }
    return checkpoint;
  }

  /** The input in the input schema, with --limit and --partitions applied; a bad input is a user error. */
  private Dataset<Row> readInput(SparkSession spark) throws Exception {
    requireMatches(input, spark.sparkContext().hadoopConfiguration());
    Dataset<Row> images = InputReading.read(input, () -> switch (inputFormat) {
      case "parquet" ->
          ParquetImagesReader.read(spark, input, parquetColumns.imageColumn, parquetColumns.idColumn);
      case "spark-image" -> SparkImageSourceReader.read(spark, input);
      default -> ImageFilesReader.read(spark, input);
    });
    return slice.apply(images.select(InputSchema.IMAGE_ID, InputSchema.SOURCE, InputSchema.CONTENT));
  }

  /** A path or glob that matches nothing fails here in one line, before Spark logs a stack trace. */
  private static void requireMatches(String location, Configuration hadoopConf) throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
    FileStatus[] matches = path.getFileSystem(hadoopConf).globStatus(path);
    if (matches == null || matches.length == 0) {
      throw new UserException("--input " + location + ": no such file or folder");
    }
  }

  private String plan(DistributionPlan checkpoint, long images) {
    return String.join(System.lineSeparator(),
        "depth plan:",
        "  input        " + input + " (" + inputFormat + (images >= 0 ? ", " + images + " images" : "") + ")"
            + slice.describe(),
        "  model        " + checkpoint.displayName() + " (" + model + "), " + checkpoint.distribution().optionValue()
            + ", on " + device.optionValue(),
        "  output       " + run.runPath() + " (dynamic partition overwrite of run_id=" + run.runId() + ")",
        "  depth        " + depthResolution.name().toLowerCase(Locale.ROOT) + " resolution, batches of up to "
            + batchSize + (common.threads != null ? ", " + common.threads + " threads per task" : ""),
        "  png          " + (pngDir == null ? "none" : pngDir + "/kitti16, " + pngDir + "/color"));
  }
}
