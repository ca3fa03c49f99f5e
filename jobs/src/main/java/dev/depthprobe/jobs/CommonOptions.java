package dev.depthprobe.jobs;

import picocli.CommandLine.Option;

/** Options every command takes (a picocli mixin). */
public final class CommonOptions {
  @Option(names = "--stacktrace", description = "Print the full stack trace of a failure.")
  public boolean stacktrace;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads per model forward pass (default: the cores of the machine or executor "
          + "divided by the tasks running at once).")
  public Integer threads;
}
