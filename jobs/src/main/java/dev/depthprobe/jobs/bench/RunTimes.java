package dev.depthprobe.jobs.bench;

import java.util.Arrays;

/** Wall-clock seconds of timed runs, taken after warm-up runs that are not kept. */
public record RunTimes(double[] seconds) {

  public RunTimes {
    if (seconds.length == 0) {
      throw new IllegalArgumentException("no timed runs");
    }
    seconds = seconds.clone();
  }

  public static RunTimes measure(Runnable run, int warmup, int runs) {
    for (int i = 0; i < warmup; i++) {
      run.run();
    }
    double[] seconds = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      run.run();
      seconds[i] = (System.nanoTime() - start) / 1e9;
    }
    return new RunTimes(seconds);
  }

  public double median() {
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  @Override
  public double[] seconds() {
    return seconds.clone();
  }
}
