package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.glpn.GlpnConfig;
import dev.depthprobe.glpn.GlpnForDepthEstimation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole measuring path on a tiny random GLPN: timings, sgemm, RSS, stack samples, table. */
class TinySuiteTest {
  @Test
  void measuresATinyRandomGlpnAndReportsIt() {
    ObjectNode json = BenchModels.glpnKittiConfigJson();
    json.putArray("depths").add(1).add(1).add(1).add(1);
    json.putArray("hidden_sizes").add(16).add(32).add(40).add(64);
    json.put("decoder_hidden_size", 16);
    GlpnConfig config = GlpnConfig.fromJson(json);
    BenchModels.RandomModel<GlpnForDepthEstimation> model = BenchModels.randomGlpn(config, 1);
    BenchCase tiny = GlpnBench.depthCase(GlpnBench.CASE_480X640, model.model(), 1, 64, 64);
    BenchSuite suite = new BenchSuite("tiny GLPN", model.weightBytes(), GlpnBench.PARTS, List.of(tiny), tiny, 3);

    SuiteReport report = SuiteReport.run(suite, new BenchOptions(1, 2, 1));

    BenchResult result = report.results().get(0);
    assertEquals(2, result.times().seconds().length);
    assertTrue(result.imagesPerS() > 0);
    assertTrue(result.sgemmGflopsPerS() > 0);
    assertTrue(result.peakRssMib() > 0);
    assertEquals(3, report.flatness().passes());
    String table = ResultTable.format(report, Peers.load());
    assertTrue(table.contains("| GLPN-b4 480x640 | 1 |"), table);
    // ORT's and PyTorch's images/s of that case and batch from peers.json, with where they were measured
    assertTrue(table.contains("| 1.099 |") && table.contains("| 0.177 |") && table.contains("| 982 |"), table);
    assertTrue(table.contains("- ONNX Runtime: measured 2026-12-07"), table);
    assertTrue(table.contains("Issue 13 goals ("), table);
    assertTrue(table.contains("Memory flatness"), table);
  }
}
