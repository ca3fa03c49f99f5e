package dev.depthprobe.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.jobs.evaluate.DepthCrop;
import dev.depthprobe.jobs.evaluate.DepthProtocol;
import dev.depthprobe.jobs.evaluate.EvaluateDepthJob;
import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code depthprobe evaluate-depth}: depth predictions against ground truth, per image and averaged. */
@Command(name = "evaluate-depth", mixinStandardHelpOptions = true, sortOptions = false)
public final class EvaluateDepthCommand extends SparkCommand {

  @Option(names = "--predictions", required = true, paramLabel = "DIR")
  String predictions;

  @Option(names = "--ground-truth", required = true, paramLabel = "DIR")
  String groundTruth;

  @Option(names = "--output", required = true, paramLabel = "DIR")
  String output;

  @Option(names = "--min-depth", paramLabel = "M", defaultValue = "1e-3")
  double minDepth;

  @Option(names = "--max-depth", paramLabel = "M")
  Double maxDepth;

  @Option(names = "--crop", paramLabel = "CROP")
  DepthCrop crop;

  @Option(names = "--protocol", paramLabel = "bts|glpn", defaultValue = "bts")
  DepthProtocol protocol;

  @Mixin
  DeviceOption deviceOption;

  @Override
  protected void validate() {
    deviceOption.requireNoGpu("evaluate-depth", "Spark SQL over the depth job's output");
  }

  @Override
  protected void run(SparkSession spark, PrintWriter out) throws Exception {
    JsonNode metrics = EvaluateDepthJob.run(spark,
        new EvaluateDepthJob.Options(predictions, groundTruth, output, minDepth, maxDepth, crop, protocol));
    JsonNode images = metrics.path("images");
    out.println("Evaluated " + images.path("evaluated").asLong() + " of " + images.path("predictions").asLong()
        + " predictions (not evaluated: " + images.path("not_evaluated_by_kind") + ")");
    out.println("Mean over images (protocol " + metrics.path("protocol").asText() + "): " + metrics.path("mean"));
    out.println("Wrote " + output + "/per_image and " + output + "/metrics.json");
  }
}
