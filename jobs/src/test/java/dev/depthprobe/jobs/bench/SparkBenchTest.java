package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.jobs.Main;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SparkBenchTest {
  private static final SparkBench.Result RESULT = new SparkBench.Result(SparkBench.FULL, 2, 130, 120,
      new DirectDepth.Times(2, 8, 90));

  @Test
  void theDepthJobAcceptsTheBenchmarksCommandLine() {
    String[] args = SparkBench.depthJob(Path.of("images"), Path.of("model"), Path.of("out"));
    new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args); // throws on an option the depth job does not have
    assertEquals("-Cspark.master=local[2]", args[args.length - 1]);
  }

  @Test
  void aRatioOverTheGoalSaysByHowMuch() {
    assertEquals(1.2, RESULT.ratio(), 1e-12);
    assertTrue(RESULT.describe().contains("ratio 1.200 (goal <= 1.05): NOT MET, 14% over; with the session's start "
        + "and stop 1.300"), RESULT.describe());
  }

  @Test
  void theImageCountChangesOnlyTheCount() {
    assertEquals(new SparkBench.Workload(256, 320, 240), SparkBench.workload(false).withImages(256));
    assertEquals(new SparkBench.Workload(3, 160, 128), SparkBench.workload(true).withImages(3));
    assertEquals(SparkBench.IMAGES, SparkBench.workload(false).images());
  }

  @Test
  void jsonIsAListWithTheTwoTimesAndTheRatio(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spark.json");
    RESULT.writeJson(file);
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertEquals(1, json.size());
    assertEquals(120, json.get(0).get("spark_job_s").asDouble());
    assertEquals(130, json.get(0).get("spark_wall_s").asDouble());
    assertEquals(100, json.get(0).get("direct_s").asDouble());
    assertEquals(64, json.get(0).get("images").asInt());
    assertEquals(false, json.get(0).get("met").asBoolean());
  }
}
