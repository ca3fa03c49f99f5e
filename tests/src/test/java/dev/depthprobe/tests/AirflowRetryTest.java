package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.jobs.ExitCodes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Airflow's retries rely on, on the depth and features jobs: a run that fails mid-write exits non-zero and
 * leaves no partition (so no {@code _SUCCESS}); a retry writes the whole run and its {@code _SUCCESS};
 * a rerun of a run id gives the same rows and touches no other run.
 */
class AirflowRetryTest {
  private static SparkCli cli;
  private static SparkSession spark;
  /** Two small images and one that does not decode. */
  private static Path images;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startSpark(@TempDir Path dir) throws IOException {
    images = Files.createDirectories(dir.resolve("images"));
    for (int i = 0; i < 2; i++) {
      BufferedImage image = new BufferedImage(96 + 32 * i, 64, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          image.setRGB(x, y, (x * 2) << 16 | (y * 3) << 8 | (x + y + 40 * i));
        }
      }
      ImageIO.write(image, "png", images.resolve("image" + i + ".png").toFile());
    }
    Files.writeString(images.resolve("broken.png"), "not an image");
    cli = SparkCli.start(AirflowRetryTest.class, "local[2]", FailingWriteFileSystem.sparkConf());
    spark = cli.spark();
  }

  @AfterAll
  static void stopSpark() {
    cli.close();
  }

  private int depth(String output, String runId) {
    return quietly("depth", "--input", images.toString(), "--output", output, "--run-id", runId, "--partitions", "1",
        "--batch-size", "1", "--depth-resolution", "model");
  }

  /** Runs the CLI on this class's session; its output is not needed. */
  private static int quietly(String... args) {
    return cli.run(args).code();
  }

  @Test
  void aRunThatFailsMidWriteLeavesNoPartitionAndItsRetryWritesTheWholeRun() throws IOException {
    Path output = tmp.resolve("depth");

    // the task's write fails as it closes its part file; local[2] does not retry tasks
    FailingWriteFileSystem.failNextPartFile();
    int failed = depth(FailingWriteFileSystem.uri(output), "2025-01-15");

    assertFalse(FailingWriteFileSystem.armed(), "the part file's write failed");
    assertEquals(ExitCodes.FAILURE, failed);
    assertFalse(Files.exists(output.resolve("run_id=2025-01-15")));

    assertEquals(ExitCodes.OK, depth(output.toString(), "2025-01-15"));

    assertTrue(Files.exists(output.resolve("run_id=2025-01-15/_SUCCESS")));
    List<Row> written = spark.read().parquet(output.resolve("run_id=2025-01-15").toString()).collectAsList();
    assertEquals(3, written.size());
    SummaryCounts.assertCountsRows(output.resolve("run_id=2025-01-15"), written);
  }

  /** Both jobs: the rerun's rows are the first run's, the other run's files are untouched, _SUCCESS last. */
  @ParameterizedTest
  @ValueSource(strings = {"depth", "features"})
  void rerunningARunIdGivesTheSameRowsLeavesOtherRunsAloneAndEndsWithTheSummaryAndSuccess(String job)
      throws IOException {
    Path output = tmp.resolve(job);
    assertEquals(ExitCodes.OK, run(job, output, "2025-01-15"));
    List<String> first = rows(output, "2025-01-15");
    assertEquals(ExitCodes.OK, run(job, output, "2025-01-16"));
    Map<String, FileTime> otherRun = files(output.resolve("run_id=2025-01-16"));

    assertEquals(ExitCodes.OK, run(job, output, "2025-01-15"));

    assertEquals(first, rows(output, "2025-01-15"));
    assertEquals(3, first.size());
    assertEquals(otherRun, files(output.resolve("run_id=2025-01-16")), "the other run's files were rewritten");
    assertEquals(List.of("2025-01-15", "2025-01-16"), spark.read().parquet(output.toString())
        .select("run_id").distinct().orderBy("run_id").as(Encoders.STRING()).collectAsList());
    assertEquals(6, spark.read().parquet(output.toString()).count());
    SummaryCounts.assertCountsRows(output.resolve("run_id=2025-01-15"),
        spark.read().parquet(output.resolve("run_id=2025-01-15").toString()).collectAsList());
    assertTrue(Files.exists(output.resolve("run_id=2025-01-15/_SUCCESS")));
  }

  private int run(String job, Path output, String runId) {
    return job.equals("depth") ? depth(output.toString(), runId) : features(output, runId);
  }

  private int features(Path output, String runId) {
    return quietly("features", "--input", images.toString(), "--layers", "2", "--output", output.toString(),
        "--run-id", runId, "--partitions", "1");
  }

  private static List<String> rows(Path output, String runId) {
    return spark.read().parquet(output.resolve("run_id=" + runId).toString()).orderBy("image_id")
        .collectAsList().stream().map(Row::toString).toList();
  }

  private static Map<String, FileTime> files(Path dir) throws IOException {
    Map<String, FileTime> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path f : list.toList()) {
        files.put(f.getFileName().toString(), Files.getLastModifiedTime(f));
      }
    }
    return files;
  }
}
