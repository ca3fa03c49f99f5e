package dev.depthprobe.jobs;

import picocli.CommandLine.Option;

/** Options every command takes (a picocli mixin). */
public final class CommonOptions {
  @Option(names = "--stacktrace")
  public boolean stacktrace;

  @Option(names = "--threads", paramLabel = "N")
  public Integer threads;

  /** {@code --threads}, where given, is at least 1. */
  void validate() {
    if (threads != null && threads < 1) {
      throw new UserException("--threads must be at least 1, got " + threads);
    }
  }
}
