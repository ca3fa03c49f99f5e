package dev.depthprobe.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Issue 11's soak benchmark: synthetic JPEGs and PNGs of many sizes ({@link SoakPlan}) with the bundled corrupt files
 * through the depth job on {@value #MASTER} in a JVM of its own with a {@value #HEAP} heap, first with the bundled
 * tiny GLPN, then with a random GLPN-b4 (glpn-kitti's widths) over fewer images; every phase holds when the job exits
 * with 0 and its output has exactly one row per input.
 */
public final class SoakBench {
  static final String MASTER = "local[2]";
  static final String HEAP = "2g";
  static final String RUN_ID = "soak";
  public static final int IMAGES = 2000;
  public static final int B4_IMAGES = 300;
  public static final long SEED = 11;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Lines of a failed job's log printed under its phase. */
  private static final int LOG_TAIL = 20;

  /** What to run: image counts, seed, where, and the depth options passed through to every phase. */
  public record Options(int images, int b4Images, long seed, Path workDir, boolean keep, boolean skipB4,
      List<String> depthOptions, Duration timeout) {}

  /** One depth job of the benchmark: the bundled tiny GLPN, or a GLPN-b4 with random weights written for it. */
  record Phase(String name, String modelDescription, int images, boolean randomB4) {}

  /** What one phase measured. */
  record PhaseResult(Phase phase, int synthetic, ForkedDepthJob.Outcome outcome, double jobSeconds, SoakRows rows) {
    boolean holds() {
      return outcome.exitCode() == 0 && !outcome.timedOut() && rows.oneRowPerInput();
    }
  }

  private SoakBench() {}

  /** The phases for {@code options}: the tiny GLPN, then unless skipped GLPN-b4. */
  static List<Phase> phases(Options options) {
    List<Phase> phases = new ArrayList<>();
    phases.add(new Phase("glpn-tiny", "the bundled tiny GLPN", options.images(), false));
    if (!options.skipB4()) {
      phases.add(new Phase("glpn-b4", "GLPN-b4 (glpn-kitti widths, random weights)", options.b4Images(), true));
    }
    return phases;
  }

  /** Runs every phase, printing as it goes; true when all of them hold. */
  public static boolean run(Options options, PrintWriter out) throws IOException, InterruptedException {
    Path work = options.workDir() == null ? Files.createTempDirectory("depthprobe-soak") : options.workDir();
    Files.createDirectories(work);
    out.printf(Locale.ROOT, "work folder %s, seed %d, depth options %s%n", work, options.seed(),
        options.depthOptions().isEmpty() ? "none" : String.join(" ", options.depthOptions()));
    out.flush();
    List<PhaseResult> results = new ArrayList<>();
    SparkSession spark = null;
    try {
      for (Phase phase : phases(options)) {
        Path dir = work.resolve(phase.name());
        out.printf(Locale.ROOT, "%n%s: %d synthetic images and %d corrupt files, writing them to %s%n", phase.name(),
            phase.images(), SoakInput.CORRUPT_FILES.size(), dir.resolve("input"));
        out.flush();
        List<String> ids = SoakInput.write(dir.resolve("input"), SoakPlan.images(phase.images(), options.seed()));
        String model = phase.randomB4()
            ? RandomCheckpoint.writeGlpn(dir.resolve("model"), BenchModels.glpnKittiConfigJson(), options.seed())
                .toString()
            : "bundled";
        List<String> args = depthArgs(dir.resolve("input"), model, dir.resolve("output"), options.depthOptions());
        Path log = dir.resolve("depth.log");
        out.printf(Locale.ROOT, "%s: depth job with %s on %s in -Xmx%s, log %s%n", phase.name(),
            phase.modelDescription(), MASTER, HEAP, log);
        out.flush();
        ForkedDepthJob.Outcome outcome = ForkedDepthJob.run(HEAP, args, log, options.timeout());
        Path runPath = dir.resolve("output").resolve("run_id=" + RUN_ID);
        List<SoakRows.Row> rows = List.of();
        if (Files.isDirectory(runPath)) {
          spark = spark == null ? readerSession() : spark;
          rows = readRows(spark, runPath);
        }
        PhaseResult result = new PhaseResult(phase, phase.images(), outcome, jobSeconds(runPath),
            SoakRows.check(ids, rows));
        results.add(result);
        out.print(describe(result));
        if (outcome.exitCode() != 0) {
          out.printf("  last lines of %s:%n%s", log, lastLines(log, LOG_TAIL));
        }
        out.flush();
      }
    } finally {
      if (spark != null) {
        spark.stop();
      }
    }
    boolean holds = results.stream().allMatch(PhaseResult::holds);
    boolean keep = options.keep() || !holds;
    if (!keep) {
      deleteTree(work);
    }
    out.printf(Locale.ROOT, "%nsoak %s%s%n", holds ? "holds" : "FAILS",
        keep ? " (work folder kept: " + work + ")" : "");
    out.flush();
    return holds;
  }

  /** The last {@code n} lines of a text file, each indented. */
  static String lastLines(Path file, int n) throws IOException {
    List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
    StringBuilder s = new StringBuilder();
    for (String line : lines.subList(Math.max(0, lines.size() - n), lines.size())) {
      s.append("    ").append(line).append(System.lineSeparator());
    }
    return s.toString();
  }

  /** The depth job's command line: the soak's own input, model, output and run id, then the passed-through options. */
  static List<String> depthArgs(Path input, String model, Path output, List<String> depthOptions) {
    List<String> args = new ArrayList<>(List.of("depth", "--input", input.toString(), "--model", model,
        "--output", output.toString(), "--run-id", RUN_ID, "-Cspark.master=" + MASTER));
    args.addAll(depthOptions);
    return args;
  }

  static String describe(PhaseResult r) {
    StringBuilder s = new StringBuilder();
    ForkedDepthJob.Outcome o = r.outcome();
    s.append(String.format(Locale.ROOT, "%s: exit code %d%s, %.1f s from JVM start to exit, %s%n", r.phase().name(),
        o.exitCode(), o.timedOut() ? " (killed: over the time limit)" : "", o.wallSeconds(),
        Double.isNaN(r.jobSeconds()) ? "no _summary.json" : String.format(Locale.ROOT, "%.1f s in the job "
            + "(_summary.json)", r.jobSeconds())));
    SoakRows rows = r.rows();
    s.append(String.format(Locale.ROOT, "  rows in %d (%d synthetic, %d corrupt), rows out %d%n", rows.rowsIn(),
        r.synthetic(), rows.rowsIn() - r.synthetic(), rows.rowsOut()));
    s.append("  by status ").append(rows.byStatus()).append(", errors by kind ").append(rows.byErrorKind())
        .append(System.lineSeparator());
    s.append(String.format(Locale.ROOT, "  peak RSS of the job's JVM %s%n",
        o.peakRssKib() < 0 ? "not measured (no /proc)" : String.format(Locale.ROOT, "%.0f MiB", o.peakRssMib())));
    s.append(String.format(Locale.ROOT, "  images/s %s over the job, %.2f from JVM start to exit%n",
        Double.isNaN(r.jobSeconds()) ? "-" : String.format(Locale.ROOT, "%.2f", rows.rowsOut() / r.jobSeconds()),
        rows.rowsOut() / o.wallSeconds()));
    s.append(String.format(Locale.ROOT, "  one row per input: %s%n", rows.oneRowPerInput() ? "yes" : "NO"));
    appendIds(s, "missing", rows.missing());
    appendIds(s, "more than one row", rows.duplicated());
    appendIds(s, "rows for no input", rows.unexpected());
    return s.toString();
  }

  private static void appendIds(StringBuilder s, String what, Set<String> ids) {
    if (!ids.isEmpty()) {
      s.append(String.format(Locale.ROOT, "  %s (%d): %s%n", what, ids.size(),
          ids.stream().limit(20).toList() + (ids.size() > 20 ? " ..." : "")));
    }
  }

  /** The job's own seconds from the run's _summary.json, NaN where it wrote none. */
  private static double jobSeconds(Path runPath) throws IOException {
    Path summary = runPath.resolve("_summary.json");
    if (!Files.isRegularFile(summary)) {
      return Double.NaN;
    }
    JsonNode seconds = JSON.readTree(summary.toFile()).path("seconds");
    return seconds.isNumber() ? seconds.asDouble() : Double.NaN;
  }

  /** image_id, status and error of every row of the run. */
  private static List<SoakRows.Row> readRows(SparkSession spark, Path runPath) {
    return spark.read().parquet(runPath.toString()).select("image_id", "status", "error").collectAsList().stream()
        .map(r -> new SoakRows.Row(r.getString(0), r.getString(1), r.getString(2)))
        .toList();
  }

  /** A small local session of this JVM to read the job's Parquet output back. */
  private static SparkSession readerSession() {
    return SparkSession.builder().master("local[1]").appName("depthprobe bench soak: output check")
        .config("spark.ui.enabled", "false").getOrCreate();
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
