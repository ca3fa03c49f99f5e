package dev.depthprobe.jobs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChartCanvasTest {

  @Test
  void niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
    assertEquals(2, ChartCanvas.niceStep(10, 5), 1e-12);
    assertEquals(0.5, ChartCanvas.niceStep(2.4, 5), 1e-12);
    assertEquals(20000, ChartCanvas.niceStep(126000, 5), 1e-9);
    assertArrayEquals(new String[] {"950", "12k", "3.4M", "0.25"}, new String[] {ChartCanvas.compactCount(950),
        ChartCanvas.compactCount(12000), ChartCanvas.compactCount(3.4e6), ChartCanvas.decimal(0.25, 2)});
  }
}
