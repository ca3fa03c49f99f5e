package dev.depthprobe.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TaskBudgetTest {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;
  private static final Work SOME_WORK = new Work(new Flops(10_000_000_000L, 5_000_000_000L, 1_000_000_000L), 0, 0);

  @Test
  void eachTaskGetsItsShareOfTheFreeHeap() {
    MemoryLimits limits = new MemoryLimits(8 * GIB, 2 * GIB, 0, 0, 0, 0);
    assertEquals(3 * GIB, TaskBudget.divide(limits, 2, 0, 1800).heapBytes());
  }

  @Test
  void withoutJavacppLimitsTheMemoryOverheadIsTheNativeBudget() {
    for (long unset : new long[] {0, Long.MAX_VALUE}) {
      MemoryLimits limits = new MemoryLimits(8 * GIB, 0, unset, unset, 400 * MIB, 2400 * MIB);
      TaskBudget budget = TaskBudget.divide(limits, 4, 0, 1800);
      assertEquals(500 * MIB, budget.nativeBytes(), "limits " + unset); // (2400 - 400 in use) / 4
      assertTrue(budget.origin().contains("spark.executor.memoryOverhead"), budget.origin());
    }
  }

  @Test
  void javacppLimitsBoundTheNativeBudgetAndPhysicalBytesIncludeTheHeap() {
    // maxbytes 6 GiB; maxphysicalbytes 10 GiB of which the heap may take 8: 2 GiB, less 1 GiB in use, over 2 tasks
    MemoryLimits limits = new MemoryLimits(8 * GIB, 0, 6 * GIB, 10 * GIB, GIB, 3 * GIB);
    assertEquals(GIB / 2, TaskBudget.divide(limits, 2, 0, 1800).nativeBytes());
    MemoryLimits bytesOnly = new MemoryLimits(8 * GIB, 0, 6 * GIB, 0, GIB, 3 * GIB);
    assertEquals(5 * GIB / 2, TaskBudget.divide(bytesOnly, 2, 0, 1800).nativeBytes());
  }

  @Test
  void maxTaskMemoryReplacesTheSharesWithOneTotal() {
    MemoryLimits limits = new MemoryLimits(GIB, 0, 0, 0, 0, 100 * MIB);
    TaskBudget budget = TaskBudget.divide(limits, 2, 3 * GIB, 1800);
    assertEquals(3 * GIB, budget.totalBytes());
    assertTrue(budget.admit("a.jpg 4000x3000", new ResourceEstimate(GIB, GIB, SOME_WORK, 60)).admitted());
    Admission refused = budget.admit("a.jpg 4000x3000", new ResourceEstimate(2 * GIB, 2 * GIB, SOME_WORK, 60));
    assertFalse(refused.admitted());
    assertTrue(refused.message().contains("3.0 GiB in all (--max-task-memory)"), refused.message());
  }

  @Test
  void anImageOverTheMemoryBudgetIsRefusedWithItsNeedItsBudgetAndTheWayOut() {
    MemoryLimits limits = new MemoryLimits(4 * GIB, 0, 0, 0, 0, GIB);
    TaskBudget budget = TaskBudget.divide(limits, 2, 0, 1800);
    Admission refused = budget.admit("big.png 15000x10000", new ResourceEstimate(3 * GIB, 5 * GIB, SOME_WORK, 600));
    assertFalse(refused.admitted());
    String error = refused.error();
    assertTrue(error.startsWith("resource: big.png 15000x10000 needs about 8.0 GiB (heap 3.0 GiB, native 5.0 GiB)"),
        error);
    assertTrue(error.contains("heap 2.0 GiB, native 512 MiB"), error);
    assertTrue(error.contains("--max-model-pixels N") && error.contains("spark.executor.memory")
        && error.contains("--max-task-memory"), error);
    assertFalse(error.contains("\n"));
  }

  @Test
  void anImageOverTheTimeLimitIsRefusedWithItsSecondsAndTheWayOut() {
    TaskBudget budget = TaskBudget.divide(new MemoryLimits(4 * GIB, 0, 0, 0, 0, 0), 1, 0,
        TaskBudget.DEFAULT_MAX_IMAGE_SECONDS);
    assertEquals(Long.MAX_VALUE, budget.nativeBytes()); // no JavaCPP limit and no Spark overhead: unbounded
    Admission refused = budget.admit("photo.jpg 4000x3000", new ResourceEstimate(MIB, MIB, SOME_WORK, 9000));
    assertEquals("resource: photo.jpg 4000x3000 needs about 9000 s (16 GFLOP) but --max-image-seconds is 1800; "
        + "use --max-model-pixels N to downscale large images or raise --max-image-seconds", refused.error());
    assertTrue(budget.admit("photo.jpg", new ResourceEstimate(MIB, MIB, SOME_WORK, 1799)).admitted());
  }
}
