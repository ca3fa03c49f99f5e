package dev.depthprobe.jobs;

import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.datasets.InputSchema;
import dev.depthprobe.model.DepthModel;
import dev.depthprobe.model.ModelRegistry;
import dev.depthprobe.udfs.DepthPartitionFunction;
import dev.depthprobe.udfs.DepthPngFiles;
import dev.depthprobe.udfs.DepthRows;
import dev.depthprobe.udfs.DepthTaskSettings;
import dev.depthprobe.udfs.ImageCounters;
import dev.depthprobe.udfs.distribution.DistributionPlan;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code depthprobe depth}: depth for every image of an input, as Parquet partitioned by run. */
@Command(name = "depth", mixinStandardHelpOptions = true, sortOptions = false)
public final class DepthCommand extends ImageJobCommand {
  static final String DEFAULT_OUTPUT = "depthprobe-output";

  /** {@code --depth-resolution}: the depth at the original image size, or at the model's input size. */
  enum DepthResolution { ORIGINAL, MODEL }

  @Option(names = "--input", paramLabel = "DIR_OR_GLOB", defaultValue = BundledSample.OPTION_VALUE)
  String input;

  @Option(names = "--input-format", paramLabel = "FORMAT", defaultValue = "files")
  String inputFormat;

  @Option(names = "--model", paramLabel = "DIR", defaultValue = BundledSample.OPTION_VALUE)
  String model;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = DEFAULT_OUTPUT)
  String output;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "4")
  int batchSize;

  @Option(names = "--depth-resolution", paramLabel = "R", defaultValue = "original")
  DepthResolution depthResolution;

  @Option(names = "--max-model-pixels", paramLabel = "N")
  Long maxModelPixels;

  @Option(names = "--kb-crop")
  boolean kbCrop;

  @Option(names = "--png-dir", paramLabel = "DIR")
  String pngDir;

  private double maxDepth;

  public DepthCommand() {
    super("depth", List.of(InputFormat.FILES, InputFormat.PARQUET, InputFormat.SPARK_IMAGE));
  }

  @Override
  JobOptions options() {
    return new JobOptions(input, inputFormat, model, output, batchSize);
  }

  @Override
  void validateJob() {
    if (format == InputFormat.PARQUET && (!parquetColumns.complete() || input.equals(BundledSample.OPTION_VALUE))) {
      throw new UserException("--input-format parquet needs --input, --image-column and --id-column");
    }
    ModelPixelLimit.requirePositive(maxModelPixels);
    model = BundledSample.GLPN_TINY.resolve(model);
    input = BundledSample.IMAGES.resolve(input);
  }

  /**
   * A depth model's configs, and {@code --max-model-pixels} against its processor, checked before any work; the
   * max depth is the depth column's range.
   */
  @Override
  void checkModel(DistributionPlan checkpoint) {
    DepthModel.Family family = ModelRegistry.depth(checkpoint.config());
    try {
      maxDepth = family.check(checkpoint.config(), checkpoint.preprocessorConfig());
    } catch (CheckpointException e) { // names the file and the key
      throw new UserException("--model " + model + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UserException("--model " + model + ": preprocessor_config.json: " + e.getMessage());
    }
    ModelPixelLimit.requireFits(maxModelPixels, family, checkpoint.preprocessorConfig());
  }

  /** A path or glob that matches nothing fails here in one line, before Spark logs a stack trace. */
  @Override
  Dataset<Row> readInput(SparkSession spark) throws Exception {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(input);
    FileStatus[] matches = matches(path, hadoopConf);
    if (matches == null || matches.length == 0) {
      throw new UserException("--input " + input + ": no such file or folder");
    }
    Dataset<Row> images = read(spark, input, null, null);
    return images.select(images.col(InputSchema.IMAGE_ID), images.col(InputSchema.SOURCE),
        images.col(InputSchema.CONTENT), InputSchema.readError(images));
  }

  private static FileStatus[] matches(org.apache.hadoop.fs.Path path, Configuration hadoopConf) throws IOException {
    return path.getFileSystem(hadoopConf).globStatus(path);
  }

  @Override
  Map<String, String> outputFolders() {
    Map<String, String> folders = new LinkedHashMap<>(super.outputFolders());
    folders.put("--png-dir", pngDir);
    return folders;
  }

  @Override
  RunOutput resolveOutput(RunOutput output, Configuration hadoopConf) {
    return output.qualified(hadoopConf);
  }

  @Override
  JobRows run(Dataset<Row> images, ModelSource modelSource, ImageCounters counters, SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    DepthPngFiles pngFiles = pngDir == null ? null : new DepthPngFiles(new org.apache.hadoop.fs.Path(pngDir, RunOutput.RUN_COLUMN + "=" + run.runId()).toString(),
        jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration())));
    DepthTaskSettings settings = new DepthTaskSettings(batchSize, depthResolution == DepthResolution.ORIGINAL, kbCrop,
        maxModelPixels == null ? 0 : maxModelPixels,
        common.threads, device, admissionOptions.limits(imageOptions.maxImagePixels, spark));
    Dataset<Row> rows = images
        .mapPartitions(DepthPartitionFunction.depthRows(modelSource, settings, pngFiles, counters),
            Encoders.row(DepthRows.SCHEMA))
        // the model's max_depth, evaluate-depth's default range
        .withMetadata("depth", DepthRows.depthMetadata(maxDepth));
    return new JobRows(rows, () -> DepthPartitionFunction.buildAhead(modelSource, settings, counters));
  }

  @Override
  String wrote(JobSummary.Counts counts) {
    return "Wrote " + counts.total() + " rows (" + counts.ok() + " ok, " + counts.error() + " error)";
  }

  @Override
  String plan(DistributionPlan checkpoint, long images) {
    return String.join(System.lineSeparator(),
        "depth plan:",
        "  input        " + input + " (" + inputFormat + (images >= 0 ? ", " + images + " images" : "") + ")"
            + slice.describe(),
        "  model        " + checkpoint.displayName() + " (" + model + "), " + checkpoint.distribution().optionValue()
            + ", on " + device.optionValue(),
        "  output       " + run.runPath() + " (dynamic partition overwrite of run_id=" + run.runId() + ")",
        "  depth        " + depthResolution.name().toLowerCase(Locale.ROOT) + " resolution, batches of up to "
            + batchSize + (kbCrop ? ", KB crop" : "") + (maxModelPixels != null ? ", at most " + maxModelPixels
            + " model pixels" : "") + (common.threads != null ? ", " + common.threads + " threads per task" : ""),
        "  png          " + (pngDir == null ? "none" : pngDir + "/kitti16, " + pngDir + "/color"));
  }
}
