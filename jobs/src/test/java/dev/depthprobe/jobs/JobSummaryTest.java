package dev.depthprobe.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.udfs.ImageCounters;
import dev.depthprobe.udfs.partition.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.ForeachFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSummaryTest {
  static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder().master("local[2]").appName("JobSummaryTest")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void countsOkAndErrorRowsAndErrorKinds() {
    JobSummary.Counts counts = JobSummary.Counts.of(rows(
        "ok", null, "ok", null, "error", "decode: a.jpg: truncated", "error", "decode: b.png: empty input",
        "error", "preprocess: height and width must be > 0"));
    assertEquals(new JobSummary.Counts(2, 3, Map.of("decode", 2L, "preprocess", 1L)), counts);
    assertEquals(5, counts.total());
  }

  @Test
  void countsFromTheCountersAreTheImagesTheTasksCountedWithTheirErrorKinds() {
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "summary-test");
    spark.range(0, 7, 1, 3).foreach((ForeachFunction<Long>) i -> {
      if (i < 4) {
        counters.addOk(1);
      } else {
        counters.addFailed(i < 6 ? ErrorKind.DECODE : ErrorKind.PNG);
      }
    });

    assertEquals(new JobSummary.Counts(4, 3, Map.of("decode", 2L, "png", 1L)), JobSummary.Counts.of(counters));
  }

  @Test
  void countersOfARunWithoutImagesCountNothing() {
    ImageCounters counters = ImageCounters.register(spark.sparkContext(), "summary-test");
    assertEquals(new JobSummary.Counts(0, 0, Map.of()), JobSummary.Counts.of(counters));
  }

  @Test
  void writesTheSummaryInTheRunFolder() throws Exception {
    RunOutput run = new RunOutput(tmp.toString(), "r1");
    JobSummary summary = new JobSummary("depth", run, Instant.parse("2024-05-01T10:00:00Z"),
        Instant.parse("2024-05-01T10:00:04Z"), new JobSummary.Counts(6, 2, Map.of("decode", 2L)), 1234, 1,
        "glpn-tiny@sha256:0123456789ab", "0123456789abcdef", "4.0.1");
    summary.write(new Configuration());

    JsonNode json = new ObjectMapper().readTree(Files.readString(tmp.resolve("run_id=r1/_summary.json")));
    assertEquals("depth", json.get("job").asText());
    assertEquals("r1", json.get("run_id").asText());
    assertEquals(8, json.at("/images/total").asLong());
    assertEquals(6, json.at("/images/ok").asLong());
    assertEquals(2, json.at("/images/error").asLong());
    assertEquals(2, json.at("/error_kinds/decode").asLong());
    assertEquals(4.0, json.get("seconds").asDouble());
    assertEquals(2.0, json.get("images_per_second").asDouble());
    assertEquals(1234, json.get("model_ms").asLong());
    assertEquals(1, json.get("models_built").asLong());
    assertEquals("glpn-tiny@sha256:0123456789ab", json.at("/model/name").asText());
    assertEquals("0123456789abcdef", json.at("/model/content_hash").asText());
    assertEquals("4.0.1", json.get("spark_version").asText());
    assertEquals(Version.depthprobe(), json.get("depthprobe_version").asText());
  }

  private static Dataset<Row> rows(String... statusAndError) {
    StructType schema = new StructType().add("status", DataTypes.StringType).add("error", DataTypes.StringType);
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < statusAndError.length; i += 2) {
      rows.add(RowFactory.create(Arrays.copyOfRange(statusAndError, i, i + 2)));
    }
    return spark.createDataFrame(rows, schema);
  }
}
