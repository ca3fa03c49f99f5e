package dev.depthprobe.jobs.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 8's leak check: the RSS after warm-up and after many more passes of the same case, each read after a full
 * garbage collection, with the Java heap's committed size at the same moments. The collector grows and shrinks the
 * heap by tens of MiB from one collection to the next (measured: RSS 654-686 MiB over 400 passes, all of the swing
 * in the committed heap), so flat means that the memory outside the Java heap (ND4J's arrays and workspaces, the
 * native libraries) grew by at most {@link #TOLERANCE_MIB}; the RSS growth is reported beside it.
 */
public record MemoryFlatness(String caseName, int batch, int passes, ProcessMemory.Snapshot before,
    ProcessMemory.Snapshot after, double heapBeforeMib, double heapAfterMib) {
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
    double heapBefore = heapCommittedMib();
    LOG.info("memory flatness, {}: RSS {} MiB after warm-up; {} passes", benchCase.name(),
        Math.round(before.rssMib()), passes);
    for (int i = 0; i < passes; i++) {
      benchCase.pass().run();
    }
    ProcessMemory.Snapshot after = ProcessMemory.afterGc();
    MemoryFlatness result = new MemoryFlatness(benchCase.name(), benchCase.batch(), passes, before, after,
        heapBefore, heapCommittedMib());
    LOG.info("memory flatness, {}: RSS {} MiB after {} passes ({} MiB; outside the Java heap {} MiB)",
        benchCase.name(), Math.round(after.rssMib()), passes, String.format("%+.0f", result.growthMib()),
        String.format("%+.0f", result.outsideHeapGrowthMib()));
    return result;
  }

  public double growthMib() {
    return after.rssMib() - before.rssMib();
  }

  /** The growth of the RSS less the Java heap's committed size. */
  public double outsideHeapGrowthMib() {
    return (after.rssMib() - heapAfterMib) - (before.rssMib() - heapBeforeMib);
  }

  public boolean flat() {
    return outsideHeapGrowthMib() <= TOLERANCE_MIB;
  }

  private static double heapCommittedMib() {
    return Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0);
  }
}
