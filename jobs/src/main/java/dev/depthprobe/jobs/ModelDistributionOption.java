package dev.depthprobe.jobs;

import dev.depthprobe.udfs.distribution.ModelDistribution;
import picocli.CommandLine.Option;

/** {@code --model-distribution}, taken by the Spark commands that run a model (a picocli mixin). */
public final class ModelDistributionOption {
  @Option(names = "--model-distribution", paramLabel = "auto|broadcast|path", defaultValue = "auto",
      description = "How executors get a checkpoint's weights: broadcast from the driver, or read from a path "
          + "every executor sees (HDFS, S3, a shared mount); auto: path for weights over 1 GiB or a checkpoint "
          + "that is not on the driver's disk, else broadcast (default: ${DEFAULT-VALUE}).")
  public ModelDistribution modelDistribution = ModelDistribution.AUTO;
}
