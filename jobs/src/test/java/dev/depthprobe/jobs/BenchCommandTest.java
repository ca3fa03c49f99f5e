package dev.depthprobe.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The bench command's arguments; the benchmarks themselves are not tests. */
class BenchCommandTest {
  @Test
  void zeroTimedRunsIsAUsageError() {
    Result r = run("bench", "glpn", "--runs", "0");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("--runs >= 1"), r.err());
  }

  @Test
  void zeroImagesIsAUsageError() {
    Result r = run("bench", "spark", "--images", "0");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("need --images >= 1, got 0"), r.err());
  }

  @Test
  void anImageCountOutsideTheSparkBenchIsAUsageError() {
    Result r = run("bench", "glpn", "--images", "8");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("--images applies to bench spark only"), r.err());
  }

  @Test
  void scalingOutsideTheSparkBenchIsAUsageError() {
    Result r = run("bench", "glpn", "--scaling");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("--scaling applies to bench spark only"), r.err());
  }

  @Test
  void severalImageCountsWithoutScalingAreAUsageError() {
    Result r = run("bench", "spark", "--images", "64,256");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("--images takes one count, or a list with --scaling; got [64, 256]"), r.err());
  }

  @Test
  void anUnknownTargetIsAUsageError() {
    Result r = run("bench", "resnet");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("glpn|imagegpt|spark"), r.err());
  }

  @Test
  void helpNamesTheThreeBenchmarksAndTheirOptions() {
    Result r = run("bench", "--help");
    assertEquals(ExitCodes.OK, r.code());
    for (String word : new String[] {"glpn", "imagegpt", "spark", "--quick", "--images", "--json", "--warmup", "--runs", "--threads"}) {
      assertTrue(r.out().contains(word), word + " in " + r.out());
    }
  }

  @Test
  void aCalibrationSizeThatIsNotWidthByHeightIsAUsageError() {
    Result r = run("bench", "calibrate", "--sizes", "640x480,12MP");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("--sizes: a size is WIDTHxHEIGHT"), r.err());
  }

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new Main().newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
