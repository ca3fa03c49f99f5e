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
@Command(name = "evaluate-depth", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Compares the depth job's predictions with ground truth (KITTI 16-bit PNG, metres * 256, or .npy "
            + "metres; 0 is invalid), paired by file-name stem.",
        "Per image and averaged over images: abs_rel, sq_rel, rmse, rmse_log, log10, silog and "
            + "delta1..3 (max(gt/pred, pred/gt) < 1.25^k), over ground-truth pixels strictly between "
            + "--min-depth and --max-depth. --protocol bts (BTS's compute_errors): predictions clamped to that "
            + "range, silog x100; --protocol glpn (GLPDepth's eval_depth): predictions not clamped (inf -> max, "
            + "NaN -> min), silog = sqrt(mean(e^2) - 0.5 mean(e)^2).",
        "Predictions must be at the ground truth's size; predictions made on the KB-cropped input (column "
            + "kb_crop) are compared with the KB-cropped ground truth. Writes OUTPUT/per_image (Parquet) and "
            + "OUTPUT/metrics.json."})
public final class EvaluateDepthCommand extends SparkCommand {

  @Option(names = "--predictions", required = true, paramLabel = "DIR",
      description = "The depth job's output (one run: the output folder or its run_id=... folder).")
  String predictions;

  @Option(names = "--ground-truth", required = true, paramLabel = "DIR",
      description = "Folder of ground-truth .png / .npy files, searched recursively.")
  String groundTruth;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output folder.")
  String output;

  @Option(names = "--min-depth", paramLabel = "M", defaultValue = "1e-3",
      description = "Lowest valid ground-truth depth, exclusive (default: ${DEFAULT-VALUE}).")
  double minDepth;

  @Option(names = "--max-depth", paramLabel = "M",
      description = "Highest valid ground-truth depth, exclusive (default: the max_depth of the model that made the "
          + "predictions, which the depth job records: 80 for glpn-kitti, 10 for glpn-nyu).")
  Double maxDepth;

  @Option(names = "--crop", paramLabel = "CROP",
      description = "Evaluation crop: garg or eigen (KITTI, fractions of the size), nyu (480x640 only).")
  DepthCrop crop;

  @Option(names = "--protocol", paramLabel = "bts|glpn", defaultValue = "bts",
      description = "bts: BTS's compute_errors (predictions clamped, silog x100); glpn: the GLPN paper's "
          + "(vinvino02/GLPDepth): predictions not clamped, silog = sqrt(mean(e^2) - 0.5 mean(e)^2) unscaled "
          + "(default: ${DEFAULT-VALUE}).")
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
