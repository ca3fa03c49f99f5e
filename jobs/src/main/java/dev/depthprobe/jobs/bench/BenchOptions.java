package dev.depthprobe.jobs.bench;

/**
 * How each case is measured.
 *
 * @param warmup untimed passes before the timed ones
 * @param runs timed passes; the median is reported
 * @param threads ND4J threads, as set with {@link BenchThreads#use} (reported, not applied here)
 */
public record BenchOptions(int warmup, int runs, int threads) {
  public BenchOptions {
    if (warmup < 0 || runs < 1 || threads < 1) {
      throw new IllegalArgumentException("warm-up runs must be >= 0, timed runs and threads >= 1; got warmup "
          + warmup + ", runs " + runs + ", threads " + threads);
    }
  }
}
