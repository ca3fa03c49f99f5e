package dev.depthprobe.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench soak}'s arguments; the soak benchmark itself is not a test. */
class BenchSoakCommandTest {
  @TempDir
  Path dir;

  @Test
  void aWorkFolderWithFilesInItIsAUsageErrorAndIsLeftAlone() throws IOException {
    Files.writeString(dir.resolve("keep-me.txt"), "mine");

    BenchCommandTest.Result r = BenchCommandTest.run("bench", "soak", "--images", "1", "--work-dir", dir.toString());

    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("not an empty folder"), r.err());
    assertTrue(Files.exists(dir.resolve("keep-me.txt")));
  }

  @Test
  void anOptionOfNeitherTheSoakNorTheDepthJobIsAUsageError() {
    BenchCommandTest.Result r = BenchCommandTest.run("bench", "soak", "--imagez", "3");

    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("not an option of the depth job"), r.err());
  }

  @Test
  void zeroImagesIsAUsageError() {
    BenchCommandTest.Result r = BenchCommandTest.run("bench", "soak", "--b4-images", "0");

    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("need --images, --b4-images and --timeout-minutes >= 1"), r.err());
  }

  @Test
  void benchWithoutATargetIsAUsageError() {
    BenchCommandTest.Result r = BenchCommandTest.run("bench");

    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("glpn, imagegpt, spark, calibrate or soak"), r.err());
  }

  @Test
  void helpListsTheSoakAndItsOptions() {
    BenchCommandTest.Result bench = BenchCommandTest.run("bench", "--help");
    BenchCommandTest.Result soak = BenchCommandTest.run("bench", "soak", "--help");

    assertTrue(bench.out().contains("soak"), bench.out());
    for (String word : new String[] {"--images", "--b4-images", "--seed", "--work-dir", "--keep", "--skip-b4"}) {
      assertTrue(soak.out().contains(word), word + " in " + soak.out());
    }
  }
}
