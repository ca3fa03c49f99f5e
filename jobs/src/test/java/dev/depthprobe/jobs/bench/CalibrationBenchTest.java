package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.admission.Flops;
import dev.depthprobe.admission.ResourceEstimate;
import dev.depthprobe.admission.Throughput;
import dev.depthprobe.admission.Work;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationBenchTest {
  @Test
  void childrenRunG1WithItsOwnYoungGenerationAsExecutorsDoWhateverTheLauncherPickedForThisJvm() {
    assertEquals(List.of("-XX:+UseG1GC", "--add-modules=jdk.incubator.vector", "-Dlog4j2.configurationFile=x"),
        CalibrationBench.inheritedOptions(List.of("--add-modules=jdk.incubator.vector", "-XX:+UseSerialGC",
            "-Xmn32m", "-XX:SurvivorRatio=2", "-Dlog4j2.configurationFile=x")));
  }

  @Test
  void sizesParseAsWidthByHeight() {
    assertEquals(new CalibrationBench.Size(4000, 3000), CalibrationBench.Size.parse(" 4000X3000 "));
    for (String bad : List.of("4000", "4000x", "x3000", "16x3000", "axb", "1x2x3")) {
      assertThrows(IllegalArgumentException.class, () -> CalibrationBench.Size.parse(bad), bad);
    }
  }

  @Test
  void theFitRecoversTheThroughputThatMadeTheSeconds() {
    Throughput truth = new Throughput(40, 20, 3, 50, 300);
    List<CalibrationBench.Row> rows = new ArrayList<>();
    long[][] cases = { // dense GFLOP, attention GFLOP, G scores, megapixels: GLPN-like mixes
        {133, 23, 1, 1}, {533, 373, 2, 1}, {5163, 35011, 137, 12}, {2, 1, 1, 1}, {25, 16, 1, 3}, {900, 2000, 30, 6}};
    for (long[] c : cases) {
      Work work = new Work(new Flops(c[0] * 1_000_000_000L, 0, c[1] * 1_000_000_000L), c[2] * 1_000_000_000L,
          c[3] * 1_000_000L);
      ResourceEstimate estimate = new ResourceEstimate(0, 0, work, 0);
      rows.add(new CalibrationBench.Row(CalibrationBench.Model.B4, new CalibrationBench.Size(1000, (int) c[3] * 1000),
          estimate, new CalibrationBench.Measured(truth.seconds(work, 2), 1, 1, 0, 1, ""), "0", null, null));
    }
    Throughput fitted = CalibrationBench.fit(rows, 2);
    assertEquals(truth.denseGflopsPerThread(), fitted.denseGflopsPerThread(), 1e-6);
    assertEquals(truth.attentionGflopsPerThread(), fitted.attentionGflopsPerThread(), 1e-6);
    assertEquals(truth.nanosPerScore(), fitted.nanosPerScore(), 1e-6);
    assertEquals(truth.nanosPerImagePixel(), fitted.nanosPerImagePixel(), 1e-6);
    assertEquals(truth.millisPerImage(), fitted.millisPerImage(), 1e-6);
    assertTrue(CalibrationBench.table(rows, 2).contains("| b4 | 1000x12000 |"));
    assertNull(CalibrationBench.fit(rows.subList(0, 3), 2), "fewer cases than constants");
  }

  @Test
  void theHeapEstimateIsJudgedAgainstTheLeastHeapOverTheFloorAndNotWhereTheImageNeedsNoMoreThanIt() {
    long mib = 1 << 20;
    Work work = new Work(new Flops(1_000_000_000L, 0, 0), 0, 1_000_000);
    ResourceEstimate estimate = new ResourceEstimate(30 * mib, 0, work, 1);
    CalibrationBench.Measured measured = new CalibrationBench.Measured(1, 0, 0, 0, 0, "");
    LeastHeap floor = new LeastHeap(5 * mib, 6 * mib);
    CalibrationBench.Row resolved = new CalibrationBench.Row(CalibrationBench.Model.TINY,
        new CalibrationBench.Size(1280, 960), estimate, measured, "0", new LeastHeap(20 * mib, 26 * mib), floor);
    CalibrationBench.Row belowFloor = new CalibrationBench.Row(CalibrationBench.Model.B4,
        new CalibrationBench.Size(640, 480), estimate, measured, "0", new LeastHeap(5 * mib, 6 * mib), floor);

    assertEquals(20 * mib, resolved.heapNeedBytes());
    assertEquals(0, belowFloor.heapNeedBytes());
    String table = CalibrationBench.table(List.of(resolved, belowFloor), 2);
    assertTrue(table.contains("| 20-26 | 5-6 | 20 | 30 | 1.50 |"), table);
    assertTrue(table.contains("| 5-6 | 5-6 | 0 | 30 | - |"), table);
  }
}
