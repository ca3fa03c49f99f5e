package dev.depthprobe.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Issue 8's throughput goals: GLPN-b4 at both sizes, batch 1 and 4, at least half of sgemm's GFLOP/s
 * and twice PyTorch's images/s; the ImageGPT-small layer-12 probe at batch 8 and 32, at least 60% of
 * sgemm, 1.5x PyTorch's first-12-layers and 2.8x its full forward at the same batch.
 */
public final class Issue8Goals {
  static final double GLPN_OF_SGEMM = 0.5;
  static final double GLPN_OF_PYTORCH = 2.0;
  static final double PROBE_OF_SGEMM = 0.6;
  static final double PROBE_OF_PYTORCH_12 = 1.5;
  static final double PROBE_OF_PYTORCH_FULL = 2.8;
  private static final Set<String> GLPN = Set.of(PytorchPeer.GLPN_480X640, PytorchPeer.GLPN_352X1216);
  private static final Set<Integer> GLPN_BATCHES = Set.of(1, 4);
  private static final Set<Integer> PROBE_BATCHES = Set.of(8, 32);

  private Issue8Goals() {}

  public static List<GoalCheck> check(List<BenchResult> results) {
    List<GoalCheck> checks = new ArrayList<>();
    for (BenchResult r : results) {
      if (GLPN.contains(r.caseName()) && GLPN_BATCHES.contains(r.batch())) {
        checks.add(goal(r, "sgemm GFLOP/s", r.ratioToSgemm(), GLPN_OF_SGEMM));
        r.ratioToPytorch().ifPresent(x -> checks.add(goal(r, "PyTorch images/s", x, GLPN_OF_PYTORCH)));
      }
      if (r.caseName().equals(PytorchPeer.IMAGEGPT_PROBE_12) && PROBE_BATCHES.contains(r.batch())) {
        checks.add(goal(r, "sgemm GFLOP/s", r.ratioToSgemm(), PROBE_OF_SGEMM));
        r.ratioToPytorch().ifPresent(x -> checks.add(goal(r, "PyTorch's 12-layer images/s", x, PROBE_OF_PYTORCH_12)));
        OptionalDouble full = PytorchPeer.imagesPerS(PytorchPeer.IMAGEGPT_FULL, r.batch());
        full.ifPresent(peer -> checks.add(goal(r, "PyTorch's 24-layer images/s", r.imagesPerS() / peer,
            PROBE_OF_PYTORCH_FULL)));
      }
    }
    return checks;
  }

  private static GoalCheck goal(BenchResult r, String measure, double actual, double target) {
    return new GoalCheck(r.caseName(), r.batch(), measure, actual, target);
  }
}
