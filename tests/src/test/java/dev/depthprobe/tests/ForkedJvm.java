package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A class run in a JVM of its own, with the test's class path: for heaps smaller or larger than the test's. */
final class ForkedJvm {
  private ForkedJvm() {}

  /** The test JVM's {@code --add-opens} and the other options Spark needs on Java 17, for a forked Spark. */
  static List<String> sparkOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty"))
        .toList();
  }

  /**
   * Runs {@code mainClass} with {@code jvmOptions} and {@code args}, its output logged under {@code logDir}; fails
   * unless it exits 0 within 5 minutes. Returns its output (standard output and error).
   */
  static String run(Path logDir, List<String> jvmOptions, String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(logDir, "run", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(finished, "did not finish in 5 minutes: " + output);
    assertEquals(0, process.exitValue(), output);
    return output;
  }
}
