package dev.depthprobe.jobs.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeMetricsTest {

  @Test
  void countsGiveAccuracyPerClassFiguresAndTheConfusionMatrix() {
    // true cat: 8 cat, 2 dog; true dog: 1 cat, 4 dog; true fox: 5 dog (fox is never predicted)
    ProbeMetrics m = ProbeMetrics.fromPairCounts(Map.of(
        "cat", Map.of("cat", 8L, "dog", 2L),
        "dog", Map.of("cat", 1L, "dog", 4L),
        "fox", Map.of("dog", 5L)));

    assertEquals(List.of("cat", "dog", "fox"), m.labels());
    assertArrayEquals(new long[] {8, 2, 0}, m.confusion()[0]);
    assertArrayEquals(new long[] {1, 4, 0}, m.confusion()[1]);
    assertArrayEquals(new long[] {0, 5, 0}, m.confusion()[2]);
    assertEquals(12.0 / 20, m.accuracy());
    ProbeMetrics.ClassMetrics cat = m.perClass().get("cat");
    assertEquals(8.0 / 9, cat.precision());
    assertEquals(8.0 / 10, cat.recall());
    assertEquals(2 * (8.0 / 9) * 0.8 / (8.0 / 9 + 0.8), cat.f1(), 1e-12);
    assertEquals(10, cat.support());
    ProbeMetrics.ClassMetrics dog = m.perClass().get("dog");
    assertEquals(4.0 / 11, dog.precision());
    assertEquals(4.0 / 5, dog.recall());
    assertEquals(new ProbeMetrics.ClassMetrics(0, 0, 0, 5), m.perClass().get("fox"));
  }

  @Test
  void aPredictedLabelMissingFromTheTestLabelsGetsARowOfZeros() {
    ProbeMetrics m = ProbeMetrics.fromPairCounts(Map.of("a", Map.of("b", 3L)));

    assertEquals(List.of("a", "b"), m.labels());
    assertArrayEquals(new long[] {0, 0}, m.confusion()[1]);
    assertEquals(0.0, m.accuracy());
  }
}
