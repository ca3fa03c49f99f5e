package dev.depthprobe.jobs;

import dev.depthprobe.udfs.distribution.ModelDistribution;
import picocli.CommandLine.Option;

/** {@code --model-distribution}, taken by the Spark commands that run a model (a picocli mixin). */
public final class ModelDistributionOption {
  @Option(names = "--model-distribution", paramLabel = "auto|broadcast|path", defaultValue = "auto")
  public ModelDistribution modelDistribution = ModelDistribution.AUTO;
}
