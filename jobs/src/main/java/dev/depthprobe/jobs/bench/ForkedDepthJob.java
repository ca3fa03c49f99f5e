package dev.depthprobe.jobs.bench;

import dev.depthprobe.jobs.Main;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The depthprobe CLI in a JVM of its own with a fixed heap, as a job would run on an executor of that size: this
 * JVM's classpath and its {@code --add-opens}, {@code --add-exports}, {@code --add-modules} and {@code -D} options
 * (those bin/depthprobe passes), then {@code -Xmx}. Its output goes to a log file; its peak resident memory is
 * VmHWM of its {@code /proc/PID/status}, read until it exits.
 */
final class ForkedDepthJob {
  private static final long POLL_MILLIS = 200;

  /** How the forked JVM ended; {@code peakRssKib} is -1 where /proc is not there to read. */
  record Outcome(int exitCode, boolean timedOut, double wallSeconds, long peakRssKib) {
    double peakRssMib() {
      return peakRssKib / 1024.0;
    }
  }

  private ForkedDepthJob() {}

  /** The java command line for {@code args} of the CLI in a heap of {@code heap} (as -Xmx takes it, e.g. 2g). */
  static List<String> command(String heap, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("--add-opens") || option.startsWith("--add-exports") || option.startsWith("--add-modules")
          || option.startsWith("-D")) {
        command.add(option);
      }
    }
    command.add("-Xmx" + heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args);
    return command;
  }

  /** Runs the CLI with {@code args}; kills it (it is this JVM's own child) after {@code timeout}. */
  static Outcome run(String heap, List<String> args, Path log, Duration timeout)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command(heap, args)).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
    long peakKib = -1;
    long deadline = start + timeout.toNanos();
    while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
      peakKib = Math.max(peakKib, peak(status));
      if (System.nanoTime() > deadline) {
        process.destroyForcibly().waitFor();
        return new Outcome(process.exitValue(), true, (System.nanoTime() - start) / 1e9, peakKib);
      }
    }
    return new Outcome(process.exitValue(), false, (System.nanoTime() - start) / 1e9, peakKib);
  }

  /** VmHWM of a live process, or -1 once it is gone. */
  private static long peak(Path status) {
    try {
      return ProcessMemory.parse(Files.readString(status)).peakKib();
    } catch (IOException | RuntimeException e) {
      return -1; // exited between the wait and the read
    }
  }
}
