package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Issue13GoalsTest {
  private static final PeerFigures.Provenance SOMEWHERE = new PeerFigures.Provenance("d", "m", "v", "s", "f");
  /** ORT: 0.5 images/s and 1000 MiB on GLPN 480x640 batch 1, 1.0 images/s and 4000 MiB on the probe at batch 8. */
  static final Peers PEERS = new Peers(
      new PeerFigures("ONNX Runtime", SOMEWHERE, Map.of(
          new PeerFigures.CaseKey(GlpnBench.CASE_480X640, 1), new PeerFigures.Figures(0.5, 1000),
          new PeerFigures.CaseKey(ImageGptBench.CASE_PROBE_12, 8), new PeerFigures.Figures(1.0, 4000))),
      new PeerFigures("PyTorch", SOMEWHERE, Map.of(
          new PeerFigures.CaseKey(GlpnBench.CASE_480X640, 1), new PeerFigures.Figures(0.25, 900))));

  @Test
  void glpnAtBatch1IsJudgedAgainstOrtSgemmAndOrtsMemory() {
    // 156.6 GFLOP in 1.6 s: 0.625 images/s (1.25x ORT's 0.5), 97.9 GFLOP/s of 100; 1050 MiB against ORT's 1000
    List<GoalCheck> checks = check(Results.of(GlpnBench.CASE_480X640, 1, 1.6, 156.6, 1050));
    assertEquals(List.of("ORT images/s", "ORT images/s", "sgemm GFLOP/s", "ORT's peak RSS"),
        checks.stream().map(GoalCheck::measure).toList());
    assertEquals(1.25, checks.get(0).actual(), 1e-12);
    assertEquals(1.0, checks.get(0).target());
    assertFalse(checks.get(0).stretch());
    assertEquals(1.25, checks.get(1).target());
    assertTrue(checks.get(1).stretch());
    assertEquals(0.65, checks.get(2).target());
    assertEquals(156.6 / 1.6 / 100, checks.get(2).actual(), 1e-12);
    assertEquals(GoalCheck.Bound.AT_MOST, checks.get(3).bound());
    assertEquals(1.05, checks.get(3).actual(), 1e-12);
    assertTrue(checks.stream().allMatch(GoalCheck::met));
  }

  @Test
  void slowerThanOrtMissesBothGoalsByTheirShortfall() {
    // 2.5 s: 0.4 images/s, 0.8x ORT's
    List<GoalCheck> checks = check(Results.of(GlpnBench.CASE_480X640, 1, 2.5, 156.6, 900));
    assertEquals(-0.2, checks.get(0).margin(), 1e-12);
    assertFalse(checks.get(0).met());
    assertEquals(0.8 / 1.25 - 1, checks.get(1).margin(), 1e-12);
    assertFalse(checks.get(1).met());
  }

  @Test
  void peakRssOverOrtsByMoreThanTenPercentIsMissed() {
    GoalCheck rss = check(Results.of(GlpnBench.CASE_480X640, 1, 1, 156.6, 1425)).get(3);
    assertEquals(1.425, rss.actual(), 1e-12);
    assertFalse(rss.met());
    assertEquals(1 - 1.425 / 1.10, rss.margin(), 1e-12);
  }

  @Test
  void largerBatchesAreJudgedOnSpeedOnly() {
    List<GoalCheck> checks = check(Results.of(ImageGptBench.CASE_PROBE_12, 8, 8, 103.2, 9000));
    assertEquals(List.of("ORT images/s", "ORT images/s"), checks.stream().map(GoalCheck::measure).toList());
    assertEquals(1.0, checks.get(0).actual(), 1e-12);
    assertTrue(checks.get(0).met());
  }

  @Test
  void aCaseWithoutOrtFiguresHasNoGoalsButTheSgemmOne() {
    assertTrue(check(Results.of("GLPN-b4 96x128", 1, 0.2, 8.5)).isEmpty());
    List<GoalCheck> checks = check(Results.of(GlpnBench.CASE_352X1216, 1, 2, 231.0));
    assertEquals(List.of("sgemm GFLOP/s"), checks.stream().map(GoalCheck::measure).toList());
  }

  private static List<GoalCheck> check(BenchResult result) {
    return Issue13Goals.check(Comparison.of(List.of(result), PEERS));
  }
}
