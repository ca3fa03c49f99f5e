package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class Issue8GoalsTest {
  @Test
  void glpnNeedsHalfOfSgemmAndTwicePytorch() {
    // 156.6 GFLOP in 2.5 s: 62.6 GFLOP/s of 100; 0.4 images/s against PyTorch's 0.177
    List<GoalCheck> checks = Issue8Goals.check(List.of(Results.of(PytorchPeer.GLPN_480X640, 1, 2.5, 156.6)));
    assertEquals(2, checks.size());
    assertEquals(0.626, checks.get(0).actual(), 1e-3);
    assertTrue(checks.get(0).met());
    assertEquals(0.4 / 0.177, checks.get(1).actual(), 1e-9);
    assertTrue(checks.get(1).met());
  }

  @Test
  void probeIsComparedWithPytorchsTwelveLayersAndFullForward() {
    // batch 8 in 10 s: 0.8 images/s; PyTorch 0.510 (12 layers) and 0.273 (24 layers)
    List<GoalCheck> checks = Issue8Goals.check(List.of(Results.of(PytorchPeer.IMAGEGPT_PROBE_12, 8, 10, 103.2)));
    assertEquals(List.of("sgemm GFLOP/s", "PyTorch's 12-layer images/s", "PyTorch's 24-layer images/s"),
        checks.stream().map(GoalCheck::measure).toList());
    assertEquals(0.8 / 0.510, checks.get(1).actual(), 1e-9);
    assertEquals(0.8 / 0.273, checks.get(2).actual(), 1e-9);
    assertTrue(checks.stream().allMatch(GoalCheck::met));
  }

  @Test
  void casesWithoutAGoalAreNotChecked() {
    assertTrue(Issue8Goals.check(List.of(Results.of(PytorchPeer.IMAGEGPT_PROBE_12, 1, 3, 103.2),
        Results.of(PytorchPeer.IMAGEGPT_FULL, 8, 3, 206.3))).isEmpty());
  }

  @Test
  void aMissedGoalSaysByHowMuch() {
    GoalCheck check = new GoalCheck("GLPN-b4 480x640", 1, "sgemm GFLOP/s", 0.4, 0.5);
    assertEquals("GLPN-b4 480x640 batch 1: 0.40x sgemm GFLOP/s (goal >= 0.50x): NOT MET, 20% short",
        check.describe());
  }
}
