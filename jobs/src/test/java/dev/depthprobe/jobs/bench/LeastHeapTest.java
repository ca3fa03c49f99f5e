package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeastHeapTest {
  private static final long MIB = 1 << 20;

  @Test
  void theBracketHoldsTheNeedAndIsWithinThePrecision() throws Exception {
    long need = 300 * MIB;
    List<Long> tried = new ArrayList<>();
    LeastHeap least = LeastHeap.search(1000 * MIB, 1.1, bytes -> {
      tried.add(bytes);
      return bytes >= need;
    });
    assertTrue(least.found());
    assertTrue(least.fails() < need && need <= least.completes(), least.toString());
    assertTrue(least.completes() <= 1.1 * least.fails(), least.toString());
    assertEquals(1000 * MIB, tried.get(0), "the ceiling first");
    assertTrue(tried.size() <= 8, "a handful of trials: " + tried);
  }

  @Test
  void aCaseThatRunsOutAtTheCeilingIsNotFound() throws Exception {
    LeastHeap least = LeastHeap.search(500 * MIB, 1.1, bytes -> false);
    assertFalse(least.found());
    assertEquals(500 * MIB, least.fails());
  }

  @Test
  void aCaseThatNeedsAlmostNothingStopsAtAMebibyte() throws Exception {
    LeastHeap least = LeastHeap.search(64 * MIB, 1.1, bytes -> true);
    assertEquals(0, least.fails());
    assertTrue(least.completes() <= MIB, least.toString());
  }
}
