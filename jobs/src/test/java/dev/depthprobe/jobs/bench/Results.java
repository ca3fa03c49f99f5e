package dev.depthprobe.jobs.bench;

import java.util.Map;

/** Made-up results for the tests of reporting. */
final class Results {
  private Results() {}

  /** A result whose batch took {@code secondsPerBatch} for {@code gflopsPerImage}, against a 100 GFLOP/s sgemm. */
  static BenchResult of(String caseName, int batch, double secondsPerBatch, double gflopsPerImage) {
    return new BenchResult(caseName, batch, 2, 1, new RunTimes(new double[] {secondsPerBatch}), gflopsPerImage,
        100, 100, 900, true, new TimeShares(Map.of("head", 1), secondsPerBatch));
  }
}
