package dev.depthprobe.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 8's leak check: the RSS after warm-up and after many more passes of the same case, each read
 * after a full garbage collection. Flat means it grew by at most {@link #TOLERANCE_MIB}.
 */
public record MemoryFlatness(String caseName, int batch, int passes, ProcessMemory.Snapshot before,
    ProcessMemory.Snapshot after) {
  public static final int PASSES = 100;
  /** Passes of the check with {@code --quick}. */
  public static final int QUICK_PASSES = 20;
  public static final double TOLERANCE_MIB = 32;
  private static final int WARMUP = 5;
  private static final Logger LOG = LoggerFactory.getLogger(MemoryFlatness.class);

  public static MemoryFlatness check(BenchCase benchCase, int passes) {
    for (int i = 0; i < WARMUP; i++) {
      benchCase.pass().run();
    }
    ProcessMemory.Snapshot before = ProcessMemory.afterGc();
    LOG.info("memory flatness, {}: RSS {} MiB after warm-up; {} passes", benchCase.name(),
        Math.round(before.rssMib()), passes);
    for (int i = 0; i < passes; i++) {
      benchCase.pass().run();
    }
    MemoryFlatness result = new MemoryFlatness(benchCase.name(), benchCase.batch(), passes, before,
        ProcessMemory.afterGc());
    LOG.info("memory flatness, {}: RSS {} MiB after {} passes ({} MiB)", benchCase.name(),
        Math.round(result.after().rssMib()), passes, String.format("%+.0f", result.growthMib()));
    return result;
  }

  public double growthMib() {
    return after.rssMib() - before.rssMib();
  }

  public boolean flat() {
    return growthMib() <= TOLERANCE_MIB;
  }
}
