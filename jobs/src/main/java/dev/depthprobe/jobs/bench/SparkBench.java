package dev.depthprobe.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.depthprobe.jobs.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark layer's overhead (issues 8 and 13): the depth job on {@code local[2]} over synthetic JPEGs with a
 * random GLPN-b4 checkpoint against the same images run directly in this JVM ({@link DirectDepth}, after a
 * warm-up). Two wall times of the job: the job's own (from the command having its Spark session to the command
 * done: listing, planning, reading, decoding, batching, the model, the Parquet write and the summary), on which
 * the goal is judged, and session start to stop, which adds Spark's fixed start-up and shutdown.
 */
public final class SparkBench {
  private static final Logger LOG = LoggerFactory.getLogger(SparkBench.class);
  /** Issue 13's goal: the job's own wall time over the direct run's, at most (set for 64 images). */
  public static final double GOAL = 1.05;
  /** Images of the default workload, and of {@code --quick}'s. */
  public static final int IMAGES = 64;
  public static final int QUICK_IMAGES = 8;
  private static final String MASTER = "local[2]";
  private static final int BATCH_SIZE = 4;
  private static final long SEED = 64;

  /** How many images of what size. */
  public record Workload(int images, int width, int height) {
    public Workload {
      if (images < 1) {
        throw new IllegalArgumentException("need at least one image, got " + images);
      }
    }

    /** The same size, {@code count} images. */
    public Workload withImages(int count) {
      return new Workload(count, width, height);
    }
  }

  static final Workload FULL = new Workload(IMAGES, 320, 240);
  static final Workload QUICK = new Workload(QUICK_IMAGES, 160, 128);

  /** The two timings. */
  public record Result(Workload workload, int threads, double sparkSeconds, double jobSeconds,
      DirectDepth.Times direct) {
    /** The job's own wall time over the direct run's: the goal's ratio. */
    public double ratio() {
      return jobSeconds / direct.total();
    }

    /** Session start to stop over the direct run. */
    public double sessionRatio() {
      return sparkSeconds / direct.total();
    }

    public String describe() {
      return String.format(Locale.ROOT, "Spark overhead: %d synthetic %dx%d JPEGs, GLPN-b4 (random weights), "
          + "batch %d%n- depth job on %s: %.1f s wall for the job, %.1f s from session start to stop%n"
          + "- directly in one JVM, %d threads: %.1f s (model load %.1f, read + decode %.1f, preprocess + model + "
          + "post-process %.1f)%n- ratio %.3f (goal <= %.2f): %s; with the session's start and stop %.3f",
          workload.images(), workload.width(), workload.height(), BATCH_SIZE, MASTER, jobSeconds, sparkSeconds,
          threads, direct.total(), direct.load(), direct.decode(), direct.estimate(), ratio(), GOAL,
          ratio() <= GOAL ? "met" : String.format(Locale.ROOT, "NOT MET, %.0f%% over", (ratio() / GOAL - 1) * 100),
          sessionRatio());
    }

    public void writeJson(Path file) throws IOException {
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ArrayNode list = json.createArrayNode();
      list.addObject().put("case", "spark depth job " + MASTER).put("batch", BATCH_SIZE)
          .put("images", workload.images()).put("width", workload.width()).put("height", workload.height())
          .put("spark_job_s", jobSeconds).put("spark_wall_s", sparkSeconds).put("direct_s", direct.total())
          .put("direct_model_load_s", direct.load())
          .put("direct_decode_s", direct.decode()).put("direct_estimate_s", direct.estimate())
          .put("ratio", ratio()).put("session_ratio", sessionRatio()).put("goal", GOAL).put("met", ratio() <= GOAL).put("threads", threads);
      json.writeValue(file.toFile(), list);
    }
  }

  private SparkBench() {}

  /** The default workload: {@link #IMAGES} images of 320x240, with {@code quick} {@link #QUICK_IMAGES} of 160x128. */
  public static Workload workload(boolean quick) {
    return quick ? QUICK : FULL;
  }

  public static Result run(BenchOptions options, Workload workload) throws IOException {
    Path work = Files.createTempDirectory("depthprobe-bench-spark");
    try {
      Path model = RandomCheckpoint.writeGlpn(work.resolve("glpn-b4"), BenchModels.glpnKittiConfigJson(), SEED);
      List<Path> images = SyntheticImages.writeJpegs(work.resolve("images"), workload.images(), workload.width(),
          workload.height(), SEED);
      BenchThreads.use(options.threads());
      DirectDepth.run(model, images.subList(0, Math.min(2, images.size())), BATCH_SIZE); // warm-up
      DirectDepth.Times direct = DirectDepth.run(model, images, BATCH_SIZE);
      LOG.info("directly: {} s", direct.total());
      TimedMain launcher = new TimedMain(0);
      long start = System.nanoTime();
      int code = launcher.run(depthJob(work.resolve("images"), model, work.resolve("out")));
      double spark = (System.nanoTime() - start) / 1e9;
      if (code != ExitCodes.OK) {
        throw new IllegalStateException("the depth job failed with exit code " + code);
      }
      return new Result(workload, options.threads(), spark, launcher.jobSeconds(), direct);
    } finally {
      deleteTree(work);
    }
  }

  /** The depth job's command line on {@code local[2]}. */
  static String[] depthJob(Path images, Path model, Path output) {
    return depthJob(images, model, output, Map.of("spark.master", MASTER));
  }

  /** The depth job's command line with these Spark settings. */
  static String[] depthJob(Path images, Path model, Path output, Map<String, String> conf) {
    List<String> args = new ArrayList<>(List.of("depth", "--input", images.toString(), "--model", model.toString(),
        "--output", output.toString(), "--batch-size", String.valueOf(BATCH_SIZE)));
    new TreeMap<>(conf).forEach((key, value) -> args.add("-C" + key + "=" + value));
    return args.toArray(String[]::new);
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
