package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunTimesTest {
  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(2.0, new RunTimes(new double[] {3, 1, 2}).median());
    assertEquals(2.5, new RunTimes(new double[] {4, 1, 2, 3}).median());
  }

  @Test
  void warmUpRunsAreRunButNotTimed() {
    AtomicInteger calls = new AtomicInteger();
    RunTimes times = RunTimes.measure(calls::incrementAndGet, 2, 3);
    assertEquals(5, calls.get());
    assertEquals(3, times.seconds().length);
  }

  @Test
  void needsAtLeastOneTimedRun() {
    assertThrows(IllegalArgumentException.class, () -> new RunTimes(new double[0]));
  }
}
