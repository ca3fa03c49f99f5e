package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GoalCheckTest {
  @Test
  void aMissedLowerBoundSaysHowFarShort() {
    GoalCheck check = new GoalCheck("GLPN-b4 480x640", 1, "ORT images/s", 0.87, GoalCheck.Bound.AT_LEAST, 1.0, false);
    assertEquals("GLPN-b4 480x640 batch 1: 0.87x ORT images/s (goal >= 1.00x): NOT MET, 13% short", check.describe());
  }

  @Test
  void aMetStretchGoalSaysHowMuchToSpare() {
    GoalCheck check = new GoalCheck("ImageGPT-small 24 layers", 32, "ORT images/s", 1.5, GoalCheck.Bound.AT_LEAST,
        1.25, true);
    assertEquals("ImageGPT-small 24 layers batch 32: 1.50x ORT images/s (stretch goal >= 1.25x): met, 20% to spare",
        check.describe());
  }

  @Test
  void anUpperBoundIsMetBelowItAndMissedAboveIt() {
    GoalCheck over = new GoalCheck("GLPN-b4 480x640", 1, "ORT's peak RSS", 1.54, GoalCheck.Bound.AT_MOST, 1.10, false);
    assertEquals("GLPN-b4 480x640 batch 1: 1.54x ORT's peak RSS (goal <= 1.10x): NOT MET, 40% over", over.describe());
    GoalCheck under = new GoalCheck("GLPN-b4 480x640", 1, "ORT's peak RSS", 0.88, GoalCheck.Bound.AT_MOST, 1.10, false);
    assertEquals("GLPN-b4 480x640 batch 1: 0.88x ORT's peak RSS (goal <= 1.10x): met, 20% to spare", under.describe());
  }

  @Test
  void exactlyOnTheTargetIsMet() {
    assertEquals(true, new GoalCheck("c", 1, "m", 1.0, GoalCheck.Bound.AT_LEAST, 1.0, false).met());
    assertEquals(true, new GoalCheck("c", 1, "m", 1.1, GoalCheck.Bound.AT_MOST, 1.1, false).met());
  }
}
