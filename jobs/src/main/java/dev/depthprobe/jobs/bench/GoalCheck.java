package dev.depthprobe.jobs.bench;

import java.util.Locale;

/**
 * One of issue 13's targets for one case: a ratio that must reach {@code target} ({@link Bound#AT_LEAST}) or
 * stay within it ({@link Bound#AT_MOST}).
 *
 * @param stretch whether this is the stretch goal rather than the goal
 */
public record GoalCheck(String caseName, int batch, String measure, double actual, Bound bound, double target,
    boolean stretch) {

  /** Which side of the target meets the goal. */
  public enum Bound {
    AT_LEAST(">="), AT_MOST("<=");

    private final String symbol;

    Bound(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  public boolean met() {
    return margin() >= 0;
  }

  /** How far the actual ratio is on the good side of the target, as a fraction of it (negative: missed). */
  public double margin() {
    return bound == Bound.AT_LEAST ? actual / target - 1 : 1 - actual / target;
  }

  /**
   * e.g. {@code GLPN-b4 480x640 batch 1: 0.87x ORT images/s (goal >= 1.00x): NOT MET, 13% short} or
   * {@code ... 0.95x ORT's peak RSS (goal <= 1.10x): met, 14% to spare}.
   */
  public String describe() {
    double percent = Math.abs(margin()) * 100;
    String verdict = met() ? String.format(Locale.ROOT, "met, %.0f%% to spare", percent)
        : String.format(Locale.ROOT, "NOT MET, %.0f%% %s", percent, bound == Bound.AT_LEAST ? "short" : "over");
    return String.format(Locale.ROOT, "%s batch %d: %.2fx %s (%s %s %.2fx): %s", caseName, batch, actual, measure,
        stretch ? "stretch goal" : "goal", bound.symbol(), target, verdict);
  }
}
