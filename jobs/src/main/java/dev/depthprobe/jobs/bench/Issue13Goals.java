package dev.depthprobe.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Issue 13's goals, per case with the peers' figures: images/s at least ONNX Runtime's on every case (stretch
 * goal 1.25x); GLPN-b4 at batch 1 at least 65% of the sgemm GFLOP/s of the same run; peak RSS at batch 1 within
 * 10% of ONNX Runtime's.
 */
public final class Issue13Goals {
  static final double OF_ORT = 1.0;
  static final double OF_ORT_STRETCH = 1.25;
  static final double GLPN_BATCH_1_OF_SGEMM = 0.65;
  static final double PEAK_RSS_OF_ORT_BATCH_1 = 1.10;
  private static final Set<String> GLPN = Set.of(GlpnBench.CASE_352X1216, GlpnBench.CASE_480X640);

  private Issue13Goals() {}

  public static List<GoalCheck> check(List<Comparison> comparisons) {
    List<GoalCheck> checks = new ArrayList<>();
    for (Comparison c : comparisons) {
      BenchResult r = c.result();
      c.ratioToOrt().ifPresent(x -> {
        checks.add(goal(r, "ORT images/s", x, GoalCheck.Bound.AT_LEAST, OF_ORT, false));
        checks.add(goal(r, "ORT images/s", x, GoalCheck.Bound.AT_LEAST, OF_ORT_STRETCH, true));
      });
      if (GLPN.contains(r.caseName()) && r.batch() == 1) {
        checks.add(goal(r, "sgemm GFLOP/s", r.ratioToSgemm(), GoalCheck.Bound.AT_LEAST, GLPN_BATCH_1_OF_SGEMM, false));
      }
      if (r.batch() == 1) {
        c.peakRssToOrt().ifPresent(x -> checks.add(goal(r, "ORT's peak RSS", x, GoalCheck.Bound.AT_MOST,
            PEAK_RSS_OF_ORT_BATCH_1, false)));
      }
    }
    return checks;
  }

  private static GoalCheck goal(BenchResult r, String measure, double actual, GoalCheck.Bound bound, double target,
      boolean stretch) {
    return new GoalCheck(r.caseName(), r.batch(), measure, actual, bound, target, stretch);
  }
}
