package dev.depthprobe.jobs.bench;

import java.util.Locale;

/** One of issue 8's targets for one case: a ratio that must reach {@code target}. */
public record GoalCheck(String caseName, int batch, String measure, double actual, double target) {

  public boolean met() {
    return actual >= target;
  }

  /** e.g. {@code GLPN-b4 480x640 batch 1: 0.41x sgemm (goal >= 0.50x): NOT MET, 18% short}. */
  public String describe() {
    String verdict = met() ? "met" : String.format(Locale.ROOT, "NOT MET, %.0f%% short", (1 - actual / target) * 100);
    return String.format(Locale.ROOT, "%s batch %d: %.2fx %s (goal >= %.2fx): %s", caseName, batch, actual, measure,
        target, verdict);
  }
}
