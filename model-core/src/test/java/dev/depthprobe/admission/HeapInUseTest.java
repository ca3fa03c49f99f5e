package dev.depthprobe.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HeapInUseTest {
  private static final long MIB = 1L << 20;

  static Stream<Arguments> pools() {
    return Stream.of(
        Arguments.of("garbage allocated since the last collection does not count: eden is full of garbage now, the "
                + "last collection left it empty and 500 MiB in the old generation",
            Map.of("G1 Eden Space", 900 * MIB, "G1 Survivor Space", 10 * MIB, "G1 Old Gen", 500 * MIB),
            Map.of("G1 Eden Space", 0L, "G1 Survivor Space", 10 * MIB, "G1 Old Gen", 500 * MIB), 510 * MIB),
        Arguments.of("before the first collection every pool counts at its use now",
            Map.of("G1 Eden Space", 24 * MIB, "G1 Survivor Space", 0L, "G1 Old Gen", 3 * MIB), Map.of(), 27 * MIB),
        Arguments.of("a pool the collection did not record (the old generation) counts at its use now, a non-heap "
                + "pool (Metaspace) not at all",
            Map.of("PS Eden Space", 100 * MIB, "PS Survivor Space", 15 * MIB, "PS Old Gen", 64 * MIB),
            Map.of("PS Eden Space", 0L, "PS Survivor Space", 15 * MIB, "Metaspace", 10 * MIB), 79 * MIB));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pools")
  void heapInUseIsEachPoolAsTheLastCollectionLeftIt(String what, Map<String, Long> now, Map<String, Long> afterLast,
      long expected) {
    assertEquals(expected, HeapInUse.of(now, afterLast), what);
  }

  @Test
  void thisJvmsHeapInUseIsWithinItsMaximum() {
    long inUse = HeapInUse.ofThisJvm();
    assertTrue(inUse > 0 && inUse <= Runtime.getRuntime().maxMemory(), Long.toString(inUse));
  }
}
