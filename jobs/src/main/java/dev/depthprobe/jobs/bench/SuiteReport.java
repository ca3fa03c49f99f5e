package dev.depthprobe.jobs.bench;

import java.util.List;

/** What running a {@link BenchSuite} measured. */
public record SuiteReport(String model, long weightBytes, List<BenchResult> results, MemoryFlatness flatness) {

  /** Runs every case, then the memory-flatness check. */
  public static SuiteReport run(BenchSuite suite, BenchOptions options) {
    List<BenchResult> results = suite.cases().stream().map(c -> CaseRunner.run(c, suite.parts(), options))
        .toList();
    MemoryFlatness flatness = MemoryFlatness.check(suite.flatnessCase(), suite.flatnessPasses());
    return new SuiteReport(suite.model(), suite.weightBytes(), results, flatness);
  }
}
