package dev.depthprobe.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Results as a JSON list, one object per case, with snake_case keys: the measured figures, the peers' figures for
 * the same {@code case} and {@code batch} with this run's ratios to them (null where a peer has no figure), and
 * issue 13's goals for the case.
 */
public final class ResultJson {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultJson() {}

  public static void write(Path file, List<BenchResult> results, Peers peers) throws IOException {
    JSON.writeValue(file.toFile(), toJson(results, peers));
  }

  public static ArrayNode toJson(List<BenchResult> results, Peers peers) {
    ArrayNode list = JSON.createArrayNode();
    List<Comparison> comparisons = Comparison.of(results, peers);
    List<GoalCheck> goals = Issue13Goals.check(comparisons);
    for (Comparison c : comparisons) {
      BenchResult r = c.result();
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
      putOrNull(o, "ort_images_per_s", c.ortImagesPerS());
      putOrNull(o, "ratio_to_ort", c.ratioToOrt());
      putOrNull(o, "ort_peak_rss_mib", c.ortPeakRssMib());
      putOrNull(o, "peak_rss_to_ort", c.peakRssToOrt());
      putOrNull(o, "pytorch_images_per_s", c.pytorchImagesPerS());
      putOrNull(o, "ratio_to_pytorch", c.ratioToPytorch());
      ObjectNode shares = o.putObject("time_shares");
      r.timeShares().fractions().forEach(shares::put);
      ArrayNode checks = o.putArray("goals");
      goals.stream().filter(g -> g.caseName().equals(r.caseName()) && g.batch() == r.batch())
          .forEach(g -> checks.addObject().put("measure", g.measure()).put("actual", g.actual())
              .put("bound", g.bound().symbol()).put("target", g.target()).put("stretch", g.stretch())
              .put("met", g.met()).put("margin", g.margin()));
    }
    return list;
  }

  private static void putOrNull(ObjectNode o, String key, OptionalDouble value) {
    value.ifPresentOrElse(v -> o.put(key, v), () -> o.putNull(key));
  }
}
