package dev.depthprobe.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.jobs.ExitCodes;
import dev.depthprobe.jobs.JobSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the depth job's cost grows with the work (issue 13): its images/s over several image counts, on Spark's
 * {@code local-cluster} mode (executors in JVMs of their own, as on a cluster; Spark's own harness for that, which
 * needs {@code spark.testing}) with one and with two executors of one core, all in one run. The job's own wall time
 * counts from the moment every executor has registered to the command's end, so it holds the model's shipping and
 * building on each executor, the reading, the model, the write and the summary, but not the executors' start.
 */
public final class SparkScaling {
  private static final Logger LOG = LoggerFactory.getLogger(SparkScaling.class);
  public static final List<Integer> IMAGES = List.of(64, 256, 1024);
  public static final List<Integer> EXECUTORS = List.of(1, 2);
  /** Issue 13's goal: two executors' images/s over one executor's, at least. */
  public static final double GOAL = 1.8;
  private static final int EXECUTOR_MIB = 2048;
  private static final long SEED = 64;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One job: how many images on how many executors, and its own wall time. */
  public record Point(int images, int executors, double jobSeconds) {
    public double imagesPerSecond() {
      return images / jobSeconds;
    }
  }

  private SparkScaling() {}

  /** The depth job over each count of {@code size}'s images, on each number of executors. */
  public static List<Point> run(SparkBench.Workload size, List<Integer> imageCounts, List<Integer> executorCounts)
      throws IOException {
    Path work = Files.createTempDirectory("depthprobe-bench-scaling");
    String testing = System.getProperty("spark.testing");
    String testHome = System.getProperty("spark.test.home");
    try {
      System.setProperty("spark.testing", "true");
      System.setProperty("spark.test.home", Files.createDirectories(work.resolve("spark-home")).toString());
      Path model = RandomCheckpoint.writeGlpn(work.resolve("glpn-b4"), BenchModels.glpnKittiConfigJson(), SEED);
      List<Point> points = new ArrayList<>();
      for (int images : imageCounts) {
        Path input = work.resolve("images-" + images);
        SyntheticImages.writeJpegs(input, images, size.width(), size.height(), SEED);
        for (int executors : executorCounts) {
          Path output = work.resolve("out-" + images + "-" + executors);
          TimedMain launcher = new TimedMain(executors);
          int code = launcher.run(SparkBench.depthJob(input, model, output, conf(executors)));
          if (code != ExitCodes.OK) {
            throw new IllegalStateException("the depth job failed with exit code " + code);
          }
          requireAllOk(output, images);
          Point point = new Point(images, executors, launcher.jobSeconds());
          LOG.info("{} images on {} executor(s): {} s, {} images/s", images, executors, point.jobSeconds(),
              point.imagesPerSecond());
          points.add(point);
        }
      }
      return points;
    } finally {
      restore("spark.testing", testing);
      restore("spark.test.home", testHome);
      SparkBench.deleteTree(work);
    }
  }

  /** The Spark settings of a local cluster of {@code executors} executors of one core. */
  static Map<String, String> conf(int executors) {
    return Map.of("spark.master", "local-cluster[" + executors + ",1," + EXECUTOR_MIB + "]",
        "spark.executor.memory", EXECUTOR_MIB + "m", "spark.executor.cores", "1",
        "spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector",
        "spark.executorEnv.SPARK_TESTING", "1", "spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
  }

  /** Images/s per job, and each over the first executor count's at the same images, with the goal's verdict. */
  public static String table(List<Point> points) {
    StringBuilder out = new StringBuilder("| images | executors | job s | images/s | over the first |\n"
        + "|---:|---:|---:|---:|---:|\n");
    List<String> verdicts = new ArrayList<>();
    for (Point p : points) {
      Point first = points.stream().filter(q -> q.images() == p.images()).findFirst().orElseThrow();
      double ratio = p.imagesPerSecond() / first.imagesPerSecond();
      out.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.2f | %.2f |%n", p.images(), p.executors(),
          p.jobSeconds(), p.imagesPerSecond(), ratio));
      if (first.executors() == 1 && p.executors() == 2) {
        verdicts.add(String.format(Locale.ROOT, "%d images: %.2fx (%s)", p.images(), ratio,
            ratio >= GOAL ? "met" : String.format(Locale.ROOT, "NOT MET, %.0f%% short", (1 - ratio / GOAL) * 100)));
      }
    }
    if (!verdicts.isEmpty()) {
      out.append("Two executors over one (goal >= ").append(GOAL).append("x): ")
          .append(String.join("; ", verdicts)).append('\n');
    }
    return out.toString();
  }

  private static void requireAllOk(Path output, int images) throws IOException {
    try (Stream<Path> runs = Files.list(output)) {
      Path summary = runs.map(run -> run.resolve(JobSummary.FILE_NAME)).filter(Files::exists).findFirst()
          .orElseThrow(() -> new IllegalStateException("no " + JobSummary.FILE_NAME + " under " + output));
      JsonNode counts = JSON.readTree(summary.toFile()).get("images");
      if (counts.get("ok").asLong() != images) {
        throw new IllegalStateException("the depth job wrote " + counts + " for " + images + " images");
      }
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
