package dev.depthprobe.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapInUseTest {
  private static final long MIB = 1L << 20;

  @Test
  void garbageAllocatedSinceTheLastCollectionDoesNotCount() {
    // eden is full of garbage now; the last collection left it empty and 500 MiB in the old generation
    Map<String, Long> now = Map.of("G1 Eden Space", 900 * MIB, "G1 Survivor Space", 10 * MIB, "G1 Old Gen", 500 * MIB);
    Map<String, Long> afterLast = Map.of("G1 Eden Space", 0L, "G1 Survivor Space", 10 * MIB, "G1 Old Gen", 500 * MIB);
    assertEquals(510 * MIB, HeapInUse.of(now, afterLast));
  }

  @Test
  void beforeTheFirstCollectionEveryPoolCountsAtItsUseNow() {
    Map<String, Long> now = Map.of("G1 Eden Space", 24 * MIB, "G1 Survivor Space", 0L, "G1 Old Gen", 3 * MIB);
    assertEquals(27 * MIB, HeapInUse.of(now, Map.of()));
  }

  @Test
  void aPoolTheCollectionDidNotRecordCountsAtItsUseNowAndNonHeapPoolsNotAtAll() {
    // a record that names only some pools (the old generation missing); Metaspace is not heap
    Map<String, Long> now = Map.of("PS Eden Space", 100 * MIB, "PS Survivor Space", 15 * MIB, "PS Old Gen", 64 * MIB);
    Map<String, Long> afterLast = Map.of("PS Eden Space", 0L, "PS Survivor Space", 15 * MIB, "Metaspace", 10 * MIB);
    assertEquals(79 * MIB, HeapInUse.of(now, afterLast));
  }

  @Test
  void thisJvmsHeapInUseIsWithinItsMaximum() {
    long inUse = HeapInUse.ofThisJvm();
    assertTrue(inUse > 0 && inUse <= Runtime.getRuntime().maxMemory(), Long.toString(inUse));
  }
}
