package dev.depthprobe.jobs;

import dev.depthprobe.udfs.ImageCounters;
import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.distribution.DistributionPlan;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The image jobs' command (template method): it owns validate -> read the input -> run the model ->
 * write the run partition -> summary -> {@code _SUCCESS}, and the options every image job takes. A job
 * (depth, features) adds its own options, checks its model, and supplies its partition function
 * (with its row schema). The summary counts images from the partition functions' accumulators, without
 * reading the written rows back.
 */
abstract class ImageJobCommand extends SparkCommand {
  private static final Logger LOG = LoggerFactory.getLogger(ImageJobCommand.class);

  @Mixin
  ParquetColumns parquetColumns;

  @Mixin
  InputSlice slice;

  @Option(names = "--run-id", paramLabel = "ID")
  String runId;

  @Option(names = "--dry-run")
  boolean dryRun;

  @Mixin
  DeviceOption deviceOption;

  @Mixin
  ImageOptions imageOptions;

  @Mixin
  AdmissionOptions admissionOptions;

  @Mixin
  ModelDistributionOption distributionOption;

  Device device;
  InputFormat format;
  RunOutput run;

  /**
   * The options every image job has, each job with its own defaults and descriptions: {@code --input},
   * {@code --input-format}, {@code --model} (bundled default resolved), {@code --output}, {@code --batch-size}.
   */
  record JobOptions(String input, String inputFormat, String model, String output, int batchSize) {}

  private final String job;
  private final List<InputFormat> inputFormats;

  /**
   * @param job the job's name: the summary's {@code job}, the accumulators' prefix
   * @param inputFormats the {@code --input-format}s the job reads
   */
  ImageJobCommand(String job, List<InputFormat> inputFormats) {
    this.job = job;
    this.inputFormats = inputFormats;
  }

  abstract JobOptions options();

  /** The job's own checks of its options; resolves defaults such as the bundled model and images. */
  abstract void validateJob();

  /**
   * Checks the checkpoint's configs for this job (before any weights are read); a checkpoint that cannot
   * serve it is a one-line user error.
   */
  abstract void checkModel(DistributionPlan checkpoint);

  /** The input in the input schema with the columns the job's partition function reads (before --limit). */
  abstract Dataset<Row> readInput(SparkSession spark) throws Exception;

  /**
   * The job's rows (its partition function over the images, with its schema's column metadata), and how its
   * tasks' model is built in this JVM ahead of them.
   */
  record JobRows(Dataset<Row> rows, Runnable buildModelAhead) {}

  abstract JobRows run(Dataset<Row> images, ModelSource model, ImageCounters counters, SparkSession spark);

  /** What was written, for the command's output. */
  abstract String wrote(JobSummary.Counts counts);

  /** The plan a dry run prints ({@code images} < 0: not counted). */
  abstract String plan(DistributionPlan checkpoint, long images);

  /** The folders the job writes, by option name: {@code --output}, and the job's own (e.g. {@code --png-dir}). */
  Map<String, String> outputFolders() {
    return Map.of("--output", options().output());
  }

  /** The output as the job names it in its messages and summary. */
  RunOutput resolveOutput(RunOutput output, Configuration hadoopConf) {
    return output;
  }

  @Override
  protected final void validate() {
    JobOptions options = options();
    if (options.batchSize() < 1) {
      throw new UserException("--batch-size must be at least 1, got " + options.batchSize());
    }
    slice.validate();
    imageOptions.validate();
    admissionOptions.validate();
    common.validate();
    format = InputFormat.parse(options.inputFormat(), inputFormats);
    validateJob();
    run = RunOutput.of(options.output(), runId);
    device = deviceOption.resolve(sparkConf);
  }

  @Override
  protected final void run(SparkSession spark, PrintWriter out) throws Exception {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    DistributionPlan checkpoint = DistributionPlan.of(options().model(), distributionOption.modelDistribution,
        hadoopConf, spark.sparkContext().isLocal());
    checkModel(checkpoint);
    if (dryRun) {
      out.println(plan(checkpoint, checkedInput(spark, hadoopConf).count()));
      return;
    }
    Dataset<Row> images;
    ModelSource model;
    // The weights are checked and hashed (or read and broadcast) while the input is listed; a mistake in the
    // input or output is still reported before one in the weights.
    try (DriverThread<ModelSource> shipping =
        DriverThread.start("model-distribution", () -> checkpoint.distribute(spark))) {
      images = checkedInput(spark, hadoopConf);
      LOG.info(plan(checkpoint, -1));
      model = shipping.get();
    }
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), job);
    JobRows rows = run(images, model, counters, spark);

    Instant started = Instant.now();
    // In local mode the tasks run in this JVM: their model is built while Spark plans the query.
    try (DriverThread<?> modelBuild = spark.sparkContext().isLocal() ? buildAhead(rows.buildModelAhead()) : null;
        ProgressReporter progress =
            ProgressReporter.start(job, counters, spark.sparkContext(), Duration.ofSeconds(10))) {
      run.write(rows.rows());
    }
    JobSummary.Counts counts = JobSummary.Counts.of(counters);
    if (counts.total() == 0) {
      run.writeEmpty(spark, rows.rows().schema(), hadoopConf);
    }
    Instant finished = Instant.now();
    JobSummary summary = new JobSummary(job, run, started, finished, counts,
        counters.modelMillis(), counters.modelsBuilt(), model.label(), model.key(), spark.version());
    summary.write(hadoopConf);
    run.markSuccess(hadoopConf);
    out.println(wrote(summary.counts()) + " to " + run.runPath());
    out.println("Summary " + summary.path() + ":");
    out.println(summary.toJson());
  }

  /**
   * Builds the model on a thread of its own; a failed build is left to the tasks, which build it again and
   * report the failure as they would have.
   */
  private static DriverThread<?> buildAhead(Runnable build) {
    return DriverThread.start("model-build-ahead", () -> {
      try {
        build.run();
      } catch (RuntimeException | Error e) {
        LOG.debug("Building the model ahead of the tasks failed; the tasks build it", e);
      }
      return null;
    });
  }

  /** The input with --limit and --partitions applied, once the input and the output folders are checked. */
  private Dataset<Row> checkedInput(SparkSession spark, Configuration hadoopConf) throws Exception {
    Dataset<Row> images = slice.apply(readInput(spark));
    run = resolveOutput(run, hadoopConf);
    OutputPlacement.refuseInsideInput(options().input(), outputFolders(), hadoopConf);
    run.checkWritable(hadoopConf);
    return images;
  }

  /** The input checked to have the input schema; an unreadable input is a one-line user error. */
  Dataset<Row> read(SparkSession spark, String input, String labelColumn, List<String> splitDirs) throws Exception {
    return InputReading.read(input, () -> format.read(spark, input, parquetColumns, labelColumn, splitDirs,
        imageOptions.maxImagePixels));
  }
}
