package dev.depthprobe.jobs.bench;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures one case: the sgemm reference just before and just after it (the machine's load shows in
 * both), warm-up, timed runs, then one more pass under the {@link StackSampler} (kept out of the
 * timings), with the peak RSS over all of them.
 */
public final class CaseRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CaseRunner.class);

  private CaseRunner() {}

  /** Measures {@code benchCase}; its stack samples are credited to the model's {@code parts}. */
  public static BenchResult run(BenchCase benchCase, List<StackSampler.Part> parts, BenchOptions options) {
    double sgemmBefore = SgemmReference.gflopsPerS();
    boolean peakReset = ProcessMemory.resetPeak();
    LOG.info("{}, batch {}: sgemm {} GFLOP/s; {} warm-up and {} timed runs", benchCase.name(), benchCase.batch(),
        Math.round(sgemmBefore), options.warmup(), options.runs());
    RunTimes times = RunTimes.measure(benchCase.pass(), options.warmup(), options.runs());
    TimeShares shares = StackSampler.sample(benchCase.pass(), parts);
    ProcessMemory.Snapshot memory = ProcessMemory.read();
    double sgemmAfter = SgemmReference.gflopsPerS();
    BenchResult result = new BenchResult(benchCase.name(), benchCase.batch(), options.threads(), options.warmup(),
        times, benchCase.flopsPerImage().gflop(), sgemmBefore, sgemmAfter, memory.peakMib(), peakReset, shares);
    LOG.info("{}, batch {}: {} s per batch (median of {}), {} images/s, {} GFLOP/s; {}", benchCase.name(),
        benchCase.batch(), String.format("%.3f", result.secondsPerBatch()), options.runs(),
        String.format("%.3f", result.imagesPerS()), Math.round(result.achievedGflopsPerS()), shares.describe());
    return result;
  }
}
