package dev.depthprobe.jobs.bench;

import java.util.List;

/**
 * A model's benchmark: its cases, the model's parts (for {@link StackSampler}), and the small case of the
 * memory-flatness check with its pass count.
 */
public record BenchSuite(String model, long weightBytes, List<StackSampler.Part> parts, List<BenchCase> cases,
    BenchCase flatnessCase, int flatnessPasses) {

  /**
   * The suite of a random model: the flatness check runs {@link MemoryFlatness#PASSES} passes, or with
   * {@code quick} {@link MemoryFlatness#QUICK_PASSES}.
   */
  static BenchSuite of(String model, BenchModels.RandomModel<?> random, List<StackSampler.Part> parts,
      List<BenchCase> cases, BenchCase flatnessCase, boolean quick) {
    return new BenchSuite(model, random.weightBytes(), parts, cases, flatnessCase,
        quick ? MemoryFlatness.QUICK_PASSES : MemoryFlatness.PASSES);
  }
}
