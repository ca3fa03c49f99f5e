package dev.depthprobe.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Results as a JSON list, one object per case, with snake_case keys. */
public final class ResultJson {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultJson() {}

  public static void write(Path file, List<BenchResult> results) throws IOException {
    JSON.writeValue(file.toFile(), toJson(results));
  }

  public static ArrayNode toJson(List<BenchResult> results) {
    ArrayNode list = JSON.createArrayNode();
    List<GoalCheck> goals = Issue8Goals.check(results);
    for (BenchResult r : results) {
      ObjectNode o = list.addObject()
          .put("case", r.caseName())
          .put("batch", r.batch())
          .put("images_per_s", r.imagesPerS())
          .put("s_per_image", r.secondsPerImage())
          .put("model_gflops_per_image", r.gflopsPerImage())
          .put("achieved_gflops_per_s", r.achievedGflopsPerS())
          .put("sgemm_gflops_per_s", r.sgemmGflopsPerS())
          .put("sgemm_before_gflops_per_s", r.sgemmBefore())
          .put("sgemm_after_gflops_per_s", r.sgemmAfter())
          .put("ratio_to_sgemm", r.ratioToSgemm())
          .put("peak_rss_mib", r.peakRssMib())
          .put("peak_rss_since_case_start", r.peakSinceCaseStart())
          .put("threads", r.threads())
          .put("warmup", r.warmup());
      ArrayNode runs = o.putArray("run_seconds");
      for (double s : r.times().seconds()) {
        runs.add(s);
      }
      r.pytorchImagesPerS().ifPresentOrElse(v -> o.put("pytorch_images_per_s", v), () -> o.putNull("pytorch_images_per_s"));
      r.ratioToPytorch().ifPresentOrElse(v -> o.put("ratio_to_pytorch", v), () -> o.putNull("ratio_to_pytorch"));
      ObjectNode shares = o.putObject("time_shares");
      r.timeShares().fractions().forEach(shares::put);
      ArrayNode checks = o.putArray("goals");
      goals.stream().filter(g -> g.caseName().equals(r.caseName()) && g.batch() == r.batch())
          .forEach(g -> checks.addObject().put("measure", g.measure()).put("actual", g.actual())
              .put("target", g.target()).put("met", g.met()));
    }
    return list;
  }
}
