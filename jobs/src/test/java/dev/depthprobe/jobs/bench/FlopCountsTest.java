package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthprobe.admission.Flops;
import dev.depthprobe.admission.GlpnFlops;
import dev.depthprobe.admission.ImageGptCostModel;
import dev.depthprobe.glpn.GlpnConfig;
import dev.depthprobe.imagegpt.ImageGptConfig;
import org.junit.jupiter.api.Test;

/**
 * The analytic counts against shared/fixtures/BENCH.md. Its by-op figures (conv, linear, batched matmul)
 * are reproduced to their last digit; PyTorch dispatches GLPN's Mix-FFN dense1 as a batched matmul, so
 * BENCH.md lists it there and this count under linear, hence the comparison of linear + matmul. Its
 * totals are each 0.05-0.15 GFLOP above the sum of its own by-op figures (206.3 vs 154.6 + 51.5), so the
 * totals are compared within 0.15 GFLOP.
 */
class FlopCountsTest {
  private static final double DIGIT = 0.05;
  private static final double TOTAL_TOLERANCE = 0.15;
  private static final GlpnConfig GLPN_B4 = BenchModels.glpnKitti();
  private static final ImageGptConfig IMAGEGPT_SMALL = BenchModels.imageGptSmall();

  @Test
  void glpnB4At480x640MatchesBenchMd() {
    Flops flops = GlpnFlops.perImage(GLPN_B4, 480, 640);
    assertEquals(40.4, flops.conv() / 1e9, DIGIT);
    assertEquals(57.5 + 58.7, (flops.linear() + flops.attention()) / 1e9, 2 * DIGIT);
    assertEquals(156.6, flops.gflop(), TOTAL_TOLERANCE);
  }

  @Test
  void glpnB4At352x1216MatchesBenchMd() {
    Flops flops = GlpnFlops.perImage(GLPN_B4, 352, 1216);
    assertEquals(56.3, flops.conv() / 1e9, DIGIT);
    assertEquals(80.1 + 94.5, (flops.linear() + flops.attention()) / 1e9, 2 * DIGIT);
    assertEquals(231.0, flops.gflop(), TOTAL_TOLERANCE);
  }

  @Test
  void imageGptSmallFullForwardMatchesBenchMd() {
    Flops flops = ImageGptCostModel.flops(IMAGEGPT_SMALL, 1024, 24);
    assertEquals(154.6, flops.linear() / 1e9, DIGIT);
    assertEquals(51.5, flops.attention() / 1e9, DIGIT);
    assertEquals(0, flops.conv());
    assertEquals(206.3, flops.gflop(), TOTAL_TOLERANCE);
  }

  @Test
  void imageGptSmallTwelveLayersIsHalfTheFullForward() {
    assertEquals(103.2, ImageGptCostModel.flops(IMAGEGPT_SMALL, 1024, 12).gflop(), TOTAL_TOLERANCE);
    assertEquals(ImageGptCostModel.flops(IMAGEGPT_SMALL, 1024, 24).total(),
        2 * ImageGptCostModel.flops(IMAGEGPT_SMALL, 1024, 12).total());
  }

  @Test
  void attentionGrowsWithTheSquareOfTheSequence() {
    Flops shortSeq = ImageGptCostModel.flops(IMAGEGPT_SMALL, 256, 1);
    Flops longSeq = ImageGptCostModel.flops(IMAGEGPT_SMALL, 512, 1);
    assertEquals(4 * shortSeq.attention(), longSeq.attention());
    assertEquals(2 * shortSeq.linear(), longSeq.linear());
  }
}
