package dev.depthprobe.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The depth job's checks on the driver, through the command line on a local Spark. */
class DepthCommandTest {
  @TempDir
  Path tmp;

  @Test
  void maxModelPixelsBelowOneDivisorSquaredIsOneLineNamingTheMinimumBeforeAnySparkJob() {
    Path output = tmp.resolve("out");
    AtomicInteger sparkJobs = new AtomicInteger();
    Main main = new Main() {
      @Override
      protected SparkSession buildSparkSession(Map<String, String> conf) {
        SparkSession spark = super.buildSparkSession(conf);
        spark.sparkContext().addSparkListener(new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart jobStart) {
            sparkJobs.incrementAndGet();
          }
        });
        return spark;
      }
    };
    StringWriter err = new StringWriter();
    CommandLine cl = main.newCommandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));

    // the bundled sample images through the bundled tiny GLPN, whose size_divisor is 32
    int code = cl.execute("depth", "--output", output.toString(), "--max-model-pixels", "1000",
        "-Cspark.master=local[1]");

    assertEquals(ExitCodes.USAGE, code, err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().startsWith("depthprobe: --max-model-pixels: the model pixel limit must be at least "
        + "size_divisor squared (1024), got 1000"), err.toString());
    assertEquals(0, sparkJobs.get());
    assertFalse(Files.exists(output));
  }
}
