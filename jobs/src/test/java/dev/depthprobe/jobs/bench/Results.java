package dev.depthprobe.jobs.bench;

import java.util.Map;

/** Made-up results for the tests of reporting. */
final class Results {
  private Results() {}

  /** A result whose batch took {@code secondsPerBatch} for {@code gflopsPerImage}, against a 100 GFLOP/s sgemm. */
  static BenchResult of(String caseName, int batch, double secondsPerBatch, double gflopsPerImage) {
    return of(caseName, batch, secondsPerBatch, gflopsPerImage, 900);
  }

  /** As {@link #of(String, int, double, double)}, with a peak RSS of {@code peakRssMib}. */
  static BenchResult of(String caseName, int batch, double secondsPerBatch, double gflopsPerImage, double peakRssMib) {
    return new BenchResult(caseName, batch, 2, 1, new RunTimes(new double[] {secondsPerBatch}), gflopsPerImage,
        100, 100, peakRssMib, true, new TimeShares(Map.of("head", 1), secondsPerBatch));
  }
}
