package dev.depthprobe.jobs;

import dev.depthprobe.udfs.TaskThreads;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that runs a model on one image, without Spark ({@code predict-depth}, {@code predict-features}). */
abstract class OneImageCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Mixin
  DeviceOption deviceOption;

  @Mixin
  ImageOptions imageOptions;

  @Spec
  CommandSpec spec;

  /**
   * Checks {@code --threads} and {@code --device} (one line and exit code 2 where this build cannot run on
   * the device; ND4J then uses its default device) and sizes ND4J's threads.
   */
  void setUp() {
    common.validate();
    deviceOption.resolve(Map.of());
    if (common.threads != null) {
      TaskThreads.use(common.threads);
    }
  }
}
