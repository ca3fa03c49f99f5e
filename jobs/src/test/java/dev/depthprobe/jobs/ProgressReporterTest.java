package dev.depthprobe.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressReporterTest {

  @Test
  void reportsImagesDoneRateAndErrors() {
    assertEquals("depth: 120 images done, 12.0 images/s, 3 errors",
        ProgressReporter.line("depth", 117, 3, 10_000_000_000L));
  }

  @Test
  void reportsZeroRateBeforeAnyTimePassed() {
    assertEquals("features: 0 images done, 0.0 images/s, 0 errors", ProgressReporter.line("features", 0, 0, 0));
  }
}
