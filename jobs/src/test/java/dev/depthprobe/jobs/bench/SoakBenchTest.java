package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakBenchTest {

  @Test
  void theTinyGlpnRunsFirstAndGlpnB4OverItsOwnCountUnlessSkipped() {
    List<SoakBench.Phase> both = SoakBench.phases(options(false));
    List<SoakBench.Phase> tinyOnly = SoakBench.phases(options(true));

    assertEquals(List.of("glpn-tiny", "glpn-b4"), both.stream().map(SoakBench.Phase::name).toList());
    assertEquals(List.of(40, 5), both.stream().map(SoakBench.Phase::images).toList());
    assertEquals(List.of("glpn-tiny"), tinyOnly.stream().map(SoakBench.Phase::name).toList());
  }

  @Test
  void theDepthJobGetsTheSoaksInputModelOutputAndRunIdOnLocal2ThenThePassedThroughOptions() {
    List<String> args = SoakBench.depthArgs(Path.of("/w/in"), "bundled", Path.of("/w/out"),
        List.of("--max-image-pixels", "1000"));

    assertEquals(List.of("depth", "--input", "/w/in", "--model", "bundled", "--output", "/w/out", "--run-id", "soak",
        "-Cspark.master=local[2]", "--max-image-pixels", "1000"), args);
  }

  @Test
  void theForkedJvmGetsThisJvmsOpensAndClasspathAndATwoGigabyteHeapAfterThem() {
    List<String> command = ForkedDepthJob.command("2g", List.of("depth", "--help"));

    assertTrue(command.get(0).endsWith("/bin/java"), command.get(0));
    assertTrue(command.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), command.toString());
    int heap = command.indexOf("-Xmx2g");
    assertEquals(List.of("-cp", System.getProperty("java.class.path"), "dev.depthprobe.jobs.Main", "depth", "--help"),
        command.subList(heap + 1, command.size()));
    assertTrue(command.subList(0, heap).stream().noneMatch(a -> a.startsWith("-Xmx")), command.toString());
  }

  @Test
  void aFailedJobShowsTheLastLinesOfItsLog(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("depth.log");
    Files.writeString(log, "one\ntwo\nthree\n");

    assertEquals("    two\n    three\n".replace("\n", System.lineSeparator()), SoakBench.lastLines(log, 2));
    assertEquals(3, SoakBench.lastLines(log, 20).lines().count());
  }

  private static SoakBench.Options options(boolean skipB4) {
    return new SoakBench.Options(40, 5, 11, null, false, skipB4, List.of(), Duration.ofMinutes(1));
  }
}
