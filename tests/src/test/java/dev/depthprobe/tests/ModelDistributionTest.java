package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.datasets.InputSchema;
import dev.depthprobe.jobs.ExitCodes;
import dev.depthprobe.jobs.Main;
import dev.depthprobe.udfs.distribution.DistributionPlan;
import dev.depthprobe.udfs.distribution.ModelDistribution;
import dev.depthprobe.udfs.distribution.SharedMountFileSystem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkFiles;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The depth job fed by a broadcast, by a path every executor sees (a shared mount, opened in place),
 * and by a path on another file system (copied once per executor): the same rows.
 */
class ModelDistributionTest {
  private static final Path GLPN_TINY = Path.of("../jobs/src/main/resources/sample-model/glpn-tiny");
  private static final Path SAMPLE_IMAGES = Path.of("../datasets/src/main/resources/sample");
  private static final String REVISION = "0123abcd";
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder().master("local[2]").appName("ModelDistributionTest")
        .config("spark.ui.enabled", "false")
        .config("spark.hadoop.fs.shared.impl", SharedMountFileSystem.class.getName())
        .config("spark.hadoop.fs.shared.impl.disable.cache", "true")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  @Test
  void theDepthJobWritesTheSameRowsWithBroadcastAndWithPath() throws IOException {
    Path images = ImageFolder.of(tmp.resolve("images"), SAMPLE_IMAGES.resolve("skimage_chelsea.png"),
        SAMPLE_IMAGES.resolve("china_truncated_40pct.jpg"));
    String output = tmp.resolve("depth").toString();
    // three copies of one checkpoint in Hugging Face cache folders of the same name and revision (so
    // the same model column), each with its own content hash (so each run builds its own model)
    Path mounted = cacheFolder("mount");
    Path copied = cacheFolder("copy");

    assertEquals(ExitCodes.OK, depth(images, output, "broadcast", cacheFolder("broadcast").toString(), "broadcast"));
    assertEquals(ExitCodes.OK, depth(images, output, "mount", mounted.toString(), "path"));
    assertEquals(ExitCodes.OK, depth(images, output, "copy", SharedMountFileSystem.uri(copied), "path"));

    List<String> broadcast = runRows(output, "broadcast");
    assertEquals(2, broadcast.size());
    assertTrue(broadcast.get(0).contains(",error,decode"), broadcast.get(0));
    assertTrue(broadcast.get(1).startsWith("[skimage_chelsea.png,") && broadcast.get(1).contains(",ok,"),
        broadcast.get(1));
    assertTrue(broadcast.get(1).contains("test/glpn-tiny@" + REVISION), broadcast.get(1));
    assertEquals(broadcast, runRows(output, "mount"));
    assertEquals(broadcast, runRows(output, "copy"));
    Path copies = Path.of(SparkFiles.getRootDirectory());
    assertTrue(Files.notExists(copies.resolve("depthprobe-model-" + Checkpoint.open(mounted).contentHash())),
        "a shared mount is read in place");
    assertTrue(Files.isDirectory(copies.resolve("depthprobe-model-" + Checkpoint.open(copied).contentHash())),
        "another file system is copied to the executor");
  }

  @Test
  void autoBroadcastsASmallCheckpointAndReadsOneOnAnotherFileSystemFromItsPath() {
    assertEquals(ModelDistribution.BROADCAST,
        DistributionPlan.of(GLPN_TINY.toString(), ModelDistribution.AUTO, hadoopConf()).distribution());
    assertEquals(ModelDistribution.PATH,
        DistributionPlan.of(SharedMountFileSystem.uri(GLPN_TINY), ModelDistribution.AUTO, hadoopConf()).distribution());
  }

  @Test
  void aCheckpointOnAnotherFileSystemCannotBeBroadcast() {
    String uri = SharedMountFileSystem.uri(GLPN_TINY);

    CheckpointException e = assertThrows(CheckpointException.class,
        () -> DistributionPlan.of(uri, ModelDistribution.BROADCAST, hadoopConf()));

    assertEquals(uri + ": --model-distribution broadcast needs a checkpoint folder on the driver's disk; use "
        + "--model-distribution path for a Hadoop file system URI", e.getMessage());
  }

  private static int depth(Path images, String output, String runId, String model, String distribution) {
    PrintStream out = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      return new SharedSessionMain().run("depth", "--input", images.toString(), "--output", output, "--run-id", runId,
          "--model", model, "--model-distribution", distribution);
    } finally {
      System.setOut(out);
    }
  }

  /** One run's rows as text, sorted by image id. */
  private static List<String> runRows(String output, String runId) {
    return spark.read().parquet(output + "/run_id=" + runId).orderBy(InputSchema.IMAGE_ID)
        .collectAsList().stream().map(Row::toString).toList();
  }

  /** {@code models--test--glpn-tiny/snapshots/REVISION} holding the tiny GLPN, its config marked {@code copy}. */
  private Path cacheFolder(String copy) throws IOException {
    Path repo = tmp.resolve(copy).resolve("models--test--glpn-tiny");
    Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(REVISION));
    Files.createDirectories(repo.resolve("refs"));
    Files.writeString(repo.resolve("refs/main"), REVISION);
    String config = Files.readString(GLPN_TINY.resolve("config.json"));
    Files.writeString(snapshot.resolve("config.json"),
        config.replaceFirst("\\{", "{\"_distribution_test\": \"" + copy + "-" + System.nanoTime() + "\", "));
    Files.copy(GLPN_TINY.resolve("preprocessor_config.json"), snapshot.resolve("preprocessor_config.json"));
    Files.copy(GLPN_TINY.resolve("model.safetensors"), snapshot.resolve("model.safetensors"));
    return repo;
  }

  /** Main on this class's session, which it must not stop. */
  private static final class SharedSessionMain extends Main {
    @Override
    protected SparkSession buildSparkSession(Map<String, String> conf) {
      return spark;
    }

    @Override
    protected void releaseSparkSession(SparkSession session) {}
  }
}
