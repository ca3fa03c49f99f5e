package dev.depthprobe.jobs;

import dev.depthprobe.udfs.TaskThreads;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A command that runs a model on one image, without Spark ({@code predict-depth}, {@code predict-features}). */
abstract class OneImageCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Mixin
  DeviceOption deviceOption;

  @Mixin
  ImageOptions imageOptions;

  /**
   * Checks {@code --threads} and {@code --device} (one line and exit code 2 where this build cannot run on
   * the device; ND4J then uses its default device) and sizes ND4J's threads.
   */
  void setUp() {
    if (common.threads != null && common.threads < 1) {
      throw new UserException("--threads must be at least 1, got " + common.threads);
    }
    deviceOption.resolve(Map.of());
    if (common.threads != null) {
      TaskThreads.use(common.threads);
    }
  }
}
