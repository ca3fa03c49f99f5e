package dev.depthprobe.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.admission.CostModel;
import dev.depthprobe.admission.Flops;
import dev.depthprobe.admission.GlpnCostModel;
import dev.depthprobe.image.ImageHeader;
import dev.depthprobe.admission.ResourceEstimate;
import dev.depthprobe.admission.Throughput;
import dev.depthprobe.admission.Work;
import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.glpn.DepthEstimator;
import dev.depthprobe.glpn.GlpnConfig;
import dev.depthprobe.glpn.GlpnImageProcessor;
import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.model.DepthMap;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@code depthprobe bench calibrate}: the admission estimates ({@link GlpnCostModel}) against measurements, for the
 * bundled tiny GLPN and GLPN-b4 (glpn-kitti widths, random weights written as a checkpoint first, so that every child
 * loads its weights the same way, memory-mapped) on synthetic JPEGs of several sizes. Each case runs in a JVM of its
 * own (this one's classpath and options, and a fixed 3 GB heap touched at start), so that its ND4J workspaces start
 * empty and its peak resident memory is its own: after a warm-up image, the JVM collects garbage, resets its peak RSS
 * (VmHWM) and its heap pools' peaks, then reads, decodes, preprocesses, runs the model and resizes the depth back to
 * the image's size. Measured: seconds; heap = the most heap live at a collection during the case ({@link
 * LiveHeapPeak}) and the heap pools' peak use (garbage included), both over the use before, and with {@code
 * --least-heap} the least heap the case completes in ({@link LeastHeap}), which is what the heap estimate is judged
 * against; native = peak RSS growth (less any growth of the committed heap). A case over {@code --max-seconds}
 * is stopped, and that model's larger sizes are skipped. From the seconds, the harness also fits the five
 * {@link Throughput} constants (least squares of the relative error, non-negative) and prints them.
 */
public final class CalibrationBench {
  private static final String RESULT = "CALIBRATION ";
  private static final long SEED = 11;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A JVM option that picks a garbage collector or sizes its young generation. */
  private static final Pattern COLLECTOR_SETTING =
      Pattern.compile("-XX:[+-]Use\\w+GC|-Xmn\\S+|-XX:(Max)?NewSize=\\S+|-XX:SurvivorRatio=\\S+");
  /**
   * The child's heap: fixed and touched at start, so that resident memory grows only by native allocations; a small
   * young generation, so that garbage is collected soon and the heap's peak use stays near what is live.
   */
  private static final List<String> CHILD_HEAP = List.of("-Xms3g", "-Xmx3g", "-Xmn32m", "-XX:+AlwaysPreTouch",
      "-XX:InitiatingHeapOccupancyPercent=5", "-XX:-G1UseAdaptiveIHOP");
  /**
   * A least-heap trial's child: an out-of-memory error ends the JVM at once, and JavaCPP's limits (which default to
   * the heap's size) are lifted, so that only the heap runs out. Its heap leaves room for the load; the trial's limit
   * is set after it by {@link HeapBallast}.
   */
  private static final List<String> TRIAL_OPTIONS = List.of("-XX:+ExitOnOutOfMemoryError",
      "-Dorg.bytedeco.javacpp.maxbytes=0", "-Dorg.bytedeco.javacpp.maxphysicalbytes=0");
  /** What a JVM that {@code -XX:+ExitOnOutOfMemoryError} ends prints. */
  private static final String OUT_OF_MEMORY_EXIT = "Terminating due to java.lang.OutOfMemoryError";
  private static final String RAN_OUT_OF_HEAP = "ran out of heap";
  /** The heap a trial child's load and warm-up is given on top of the bytes tried. */
  private static final long TRIAL_LOAD_HEAP = 512L << 20;
  /** A least-heap search stops when the heap that failed and the one that sufficed are within this ratio. */
  private static final double LEAST_HEAP_PRECISION = 1.1;
  /** The constants of {@link Throughput}. */
  private static final int TERMS = 5;

  /** Image sizes from 0.3 to 12 MP, 4:3. */
  public static final List<Size> DEFAULT_SIZES = List.of(new Size(640, 480), new Size(1280, 960),
      new Size(2048, 1536), new Size(2880, 2160), new Size(4000, 3000));

  /** The calibrated models. */
  public enum Model { TINY, B4 }

  /** An image size, written WIDTHxHEIGHT. */
  public record Size(int width, int height) {
    public static Size parse(String text) {
      String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
      try {
        if (parts.length == 2) {
          Size size = new Size(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
          if (size.width >= 32 && size.height >= 32) {
            return size;
          }
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("a size is WIDTHxHEIGHT, each at least 32, e.g. 640x480; got '" + text + "'");
    }

    double megapixels() {
      return (double) width * height / 1e6;
    }

    @Override
    public String toString() {
      return width + "x" + height;
    }
  }

  /** One case's measurement; {@code failure} is empty when it finished. */
  record Measured(double seconds, long heapPeakBytes, long rssGrowthBytes, long heapCommittedGrowthBytes,
      long heapBytes, String failure) {
    static Measured failed(String failure) {
      return new Measured(0, 0, 0, 0, 0, failure);
    }
    long nativeBytes() {
      return Math.max(0, rssGrowthBytes - heapCommittedGrowthBytes);
    }

    boolean finished() {
      return failure.isEmpty();
    }
  }

  /** A finished case with its estimate, and its least heap and its model's floor where those were searched (else null). */
  record Row(Model model, Size size, ResourceEstimate estimate, Measured measured, String load, LeastHeap leastHeap,
      LeastHeap floor) {
    /**
     * The least heap over the floor (what the same JVM needs for a 64x64 image): the image's own need; 0 where the
     * image completed in no more than the floor, i.e. below what the search resolves.
     */
    long heapNeedBytes() {
      return Math.max(0, leastHeap.completes() - floor.completes());
    }

    boolean hasHeapNeed() {
      return leastHeap != null && leastHeap.found() && floor != null && floor.found();
    }
  }

  private CalibrationBench() {}

  /**
   * Runs every model at every size (ascending), {@code threads} threads, each case stopped after {@code maxSeconds},
   * and prints the table and the fitted throughput to {@code out}. With {@code leastHeap}, each finished case is run
   * again in smaller heaps ({@link LeastHeap}, from twice the estimate down) to find the least heap it completes in,
   * and so is a 64x64 image per model: the floor, what the JVM, the collector and the model need whatever the image.
   */
  public static void run(Path tinyCheckpoint, List<Model> models, List<Size> sizes, double maxSeconds, int threads,
      boolean leastHeap, PrintWriter out) throws Exception {
    Path work = Files.createTempDirectory("depthprobe-calibrate-");
    List<Row> rows = new ArrayList<>();
    try {
      for (Model model : models) {
        Path checkpoint = model == Model.B4
            ? RandomCheckpoint.writeGlpn(work.resolve("glpn-b4"), BenchModels.glpnKittiConfigJson(), SEED)
            : tinyCheckpoint;
        CostModel costModel = costModel(checkpoint);
        LeastHeap floor = leastHeap ? floor(checkpoint, work, threads, maxSeconds, out) : null;
        for (Size size : sizes) {
          Path image = SyntheticImages.writeJpegs(work.resolve(size.toString()), 1, size.width(), size.height(), SEED)
              .get(0);
          String loadBefore = loadAverage();
          Measured measured = measure(checkpoint, image, threads, maxSeconds, CHILD_HEAP, -1);
          String load = loadBefore + " -> " + loadAverage();
          ResourceEstimate estimate = costModel.estimate(ImageHeader.rgb(size.width(), size.height()), 1, threads);
          LeastHeap least = leastHeap && measured.finished()
              ? leastHeap(checkpoint, image, threads, maxSeconds, 2 * estimate.heapBytes())
              : null;
          Row row = new Row(model, size, estimate, measured, load, least, floor);
          out.println(describe(row));
          out.flush();
          if (!measured.finished()) {
            break; // larger sizes take longer still
          }
          rows.add(row);
        }
      }
    } finally {
      deleteTree(work);
    }
    out.println();
    out.println(table(rows, threads));
    out.flush();
  }

  private static CostModel costModel(Path checkpoint) throws IOException {
    JsonNode config = JSON.readTree(checkpoint.resolve("config.json").toFile());
    JsonNode processor = JSON.readTree(checkpoint.resolve("preprocessor_config.json").toFile());
    return new GlpnCostModel(GlpnConfig.fromJson(config), GlpnImageProcessor.fromConfig(processor), Throughput.CALIBRATED);
  }

  /**
   * The least free heap in which the case completes once its model has loaded and warmed up: trials in children
   * whose heap is filled by {@link HeapBallast} up to the bytes tried.
   */
  private static LeastHeap leastHeap(Path checkpoint, Path image, int threads, double maxSeconds, long ceiling)
      throws Exception {
    return LeastHeap.search(ceiling, LEAST_HEAP_PRECISION, bytes -> trial(checkpoint, image, threads, maxSeconds, bytes));
  }

  /** Whether the case completes with {@code freeHeap} bytes of heap free after the load and warm-up. */
  private static boolean trial(Path checkpoint, Path image, int threads, double maxSeconds, long freeHeap)
      throws IOException, InterruptedException {
    List<String> options = new ArrayList<>(TRIAL_OPTIONS);
    options.add("-Xmx" + ((TRIAL_LOAD_HEAP + freeHeap) >> 20) + "m");
    Measured measured = measure(checkpoint, image, threads, maxSeconds, options, freeHeap);
    if (!measured.finished() && !measured.failure().equals(RAN_OUT_OF_HEAP)) {
      throw new IllegalStateException("a least-heap trial of " + image.getFileName() + " with "
          + ResourceEstimate.bytes(freeHeap) + " free failed otherwise: " + measured.failure());
    }
    return measured.finished();
  }

  /** The least heap of a 64x64 image: what the child needs whatever the image. */
  private static LeastHeap floor(Path checkpoint, Path work, int threads, double maxSeconds, PrintWriter out)
      throws Exception {
    Path image = SyntheticImages.writeJpegs(work.resolve("floor-" + checkpoint.getFileName()), 1, 64, 64, SEED).get(0);
    Measured measured = measure(checkpoint, image, threads, maxSeconds, CHILD_HEAP, -1);
    if (!measured.finished()) {
      throw new IllegalStateException("the 64x64 floor case did not finish: " + measured.failure());
    }
    LeastHeap floor = leastHeap(checkpoint, image, threads, maxSeconds, 64L << 20);
    out.println("floor (64x64)" + describe(floor));
    out.flush();
    return floor;
  }

  /**
   * This JVM's options for a child, on G1 as an executor runs: the launcher may have picked another collector for
   * this JVM (the Serial one with a small young generation on two cores), and the child's heap options and the
   * estimates it checks are G1's with its own sizing.
   */
  static List<String> inheritedOptions(List<String> options) {
    List<String> inherited = new ArrayList<>(List.of("-XX:+UseG1GC"));
    options.stream().filter(option -> !COLLECTOR_SETTING.matcher(option).matches()).forEach(inherited::add);
    return inherited;
  }

  /**
   * One case in a child JVM with {@code jvmOptions}, stopped after {@code maxSeconds}; with {@code freeHeap} bytes of
   * heap free after the load and warm-up, or all of it where that is negative.
   */
  private static Measured measure(Path checkpoint, Path image, int threads, double maxSeconds,
      List<String> jvmOptions, long freeHeap) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(inheritedOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), CalibrationBench.class.getName(),
        checkpoint.toString(), image.toString(), Integer.toString(threads), Long.toString(freeHeap)));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> results = new ArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        lines.lines().filter(line -> line.startsWith(RESULT) || line.startsWith(OUT_OF_MEMORY_EXIT))
            .forEach(results::add);
      } catch (IOException e) {
        // the child ended; its exit code tells
      }
    }, "calibration-child-output");
    reader.start();
    // the child also loads the model and warms up: allow that on top of the case's own limit
    if (!process.waitFor((long) (maxSeconds + 120), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      reader.join();
      return Measured.failed("stopped after " + (long) maxSeconds + " s");
    }
    reader.join();
    if (results.stream().anyMatch(line -> line.startsWith(OUT_OF_MEMORY_EXIT))) {
      return Measured.failed(RAN_OUT_OF_HEAP); // its exit code is 3, or 134 where ND4J's threads crash on the way out
    }
    if (process.exitValue() != 0 || results.isEmpty()) {
      return Measured.failed("child exited with " + process.exitValue());
    }
    String[] f = results.get(0).substring(RESULT.length()).trim().split(" ");
    Measured measured = new Measured(Double.parseDouble(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
        Long.parseLong(f[3]), Long.parseLong(f[4]), "");
    return measured.seconds() > maxSeconds
        ? Measured.failed(String.format(Locale.ROOT, "took %.0f s, over %.0f", measured.seconds(), maxSeconds))
        : measured;
  }

  /**
   * The child: {@code CHECKPOINT IMAGE THREADS FREE_HEAP} (bytes of heap left free after the warm-up, all where
   * negative); prints one result line.
   */
  public static void main(String[] args) throws IOException {
    Path image = Path.of(args[1]);
    int threads = Integer.parseInt(args[2]);
    long freeHeap = Long.parseLong(args[3]);
    BenchThreads.use(threads);
    DepthEstimator estimator = DepthEstimator.load(Checkpoint.open(Path.of(args[0])));
    ImageLoader loader = new ImageLoader();
    estimator.estimate(List.of(new RgbImage(64, 64, new byte[64 * 64 * 3])), true); // ND4J and JIT warm-up
    List<byte[]> ballast = freeHeap < 0 ? List.of() : HeapBallast.leaving(freeHeap);
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    ProcessMemory.Snapshot before = ProcessMemory.afterGc();
    long heapUsed = heap.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
    long heapCommitted = heap.stream().mapToLong(pool -> pool.getUsage().getCommitted()).sum();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    if (!ProcessMemory.resetPeak()) {
      throw new IllegalStateException("cannot reset the peak RSS (/proc/self/clear_refs)");
    }
    long start = System.nanoTime();
    List<DepthMap> depth;
    long livePeak;
    try (LiveHeapPeak live = LiveHeapPeak.listen()) {
      RgbImage rgb = loader.load(Files.readAllBytes(image), image.toString());
      depth = estimator.estimate(List.of(rgb), true);
      livePeak = live.peakBytes();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    ProcessMemory.Snapshot after = ProcessMemory.read();
    long heapPeak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    long heapCommittedPeak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getCommitted()).sum();
    System.gc(); // what is live at the end (the depth at the image's size) counts too
    long liveAtEnd = heap.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
    System.out.printf(Locale.ROOT, "%s%.3f %d %d %d %d%n", RESULT, seconds, heapPeak - heapUsed,
        (after.peakKib() - before.rssKib()) * 1024, Math.max(0, heapCommittedPeak - heapCommitted),
        Math.max(0, Math.max(livePeak, liveAtEnd) - heapUsed));
    Reference.reachabilityFence(depth);
    Reference.reachabilityFence(ballast);
    System.out.flush();
    System.exit(0); // ND4J's non-daemon threads would keep the child alive
  }

  private static String describe(Row row) {
    Measured m = row.measured();
    String what = String.format(Locale.ROOT, "%s %s (%.1f MP)", row.model().name().toLowerCase(Locale.ROOT),
        row.size(), row.size().megapixels());
    if (!m.finished()) {
      return what + ": " + m.failure() + " (load " + row.load() + ")";
    }
    ResourceEstimate e = row.estimate();
    return String.format(Locale.ROOT, "%s: %.1f s (est. %.1f), heap %s live, %s peak%s (est. %s), native %s (est. %s), "
        + "load %s", what, m.seconds(), e.seconds(), ResourceEstimate.bytes(m.heapBytes()),
        ResourceEstimate.bytes(m.heapPeakBytes()), describe(row.leastHeap()), ResourceEstimate.bytes(e.heapBytes()),
        ResourceEstimate.bytes(m.nativeBytes()), ResourceEstimate.bytes(e.nativeBytes()), row.load());
  }

  private static String describe(LeastHeap least) {
    if (least == null) {
      return "";
    }
    return least.found()
        ? ", least " + ResourceEstimate.bytes(least.completes()) + " (ran out in " + ResourceEstimate.bytes(least.fails())
            + ")"
        : ", ran out in " + ResourceEstimate.bytes(least.fails());
  }

  /** The Markdown table of estimates against measurements, and the throughput fitted to this run's seconds. */
  static String table(List<Row> rows, int threads) {
    Throughput fitted = fit(rows, threads);
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "Throughput fitted to this run (%d threads): %s%n%n", threads,
        fitted == null ? "too few cases" : fitted));
    text.append("| model | image | MP | GFLOP | attention | seconds | est. | ratio | fitted est. | ratio "
        + "| heap MiB live | peak | least | floor | need | est. | ratio to need | native MiB | est. | ratio | load (1 min) |\n");
    text.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row row : rows) {
      ResourceEstimate e = row.estimate();
      Measured m = row.measured();
      Flops flops = e.flops();
      double fittedSeconds = fitted == null ? Double.NaN : fitted.seconds(e.work(), threads);
      text.append(String.format(Locale.ROOT,
          "| %s | %s | %.1f | %.0f | %.0f%% | %.1f | %.1f | %.2f | %.1f | %.2f | %.0f | %.0f | %s | %s | %s | %.0f | %s | %.0f | %.0f | %.2f | %s |%n",
          row.model().name().toLowerCase(Locale.ROOT), row.size(), row.size().megapixels(), flops.gflop(),
          100.0 * flops.attention() / Math.max(1, flops.total()), m.seconds(), e.seconds(), e.seconds() / m.seconds(),
          fittedSeconds, fittedSeconds / m.seconds(), mib(m.heapBytes()), mib(m.heapPeakBytes()),
          leastColumn(row.leastHeap()), row.floor() == null ? "-" : leastColumn(row.floor()),
          row.hasHeapNeed() ? String.format(Locale.ROOT, "%.0f", mib(row.heapNeedBytes())) : "-", mib(e.heapBytes()),
          row.hasHeapNeed() && row.heapNeedBytes() > 0
              ? String.format(Locale.ROOT, "%.2f", (double) e.heapBytes() / row.heapNeedBytes())
              : "-",
          mib(m.nativeBytes()), mib(e.nativeBytes()),
          (double) e.nativeBytes() / Math.max(1, m.nativeBytes()), row.load()));
    }
    return text.toString();
  }

  /**
   * The {@link Throughput} whose seconds are closest to the measured ones in relative terms: least squares of
   * (estimate - measured) / measured over the cases, each of the {@value #TERMS} coefficients (seconds per dense
   * GFLOP and per attention GFLOP and thread, nanoseconds per score and thread, per image pixel, milliseconds per
   * image) non-negative; null
   * with fewer cases than coefficients.
   */
  static Throughput fit(List<Row> rows, int threads) {
    if (rows.size() < TERMS) {
      return null;
    }
    double[][] x = new double[rows.size()][TERMS];
    for (int r = 0; r < rows.size(); r++) {
      Work work = rows.get(r).estimate().work();
      double y = rows.get(r).measured().seconds();
      x[r][0] = work.flops().dense() / 1e9 / threads / y;
      x[r][1] = work.flops().attention() / 1e9 / threads / y;
      x[r][2] = work.attentionScores() / 1e9 / threads / y;
      x[r][3] = work.imagePixels() / 1e9 / y;
      x[r][4] = work.images() / 1e3 / y;
    }
    double[] best = null;
    double bestError = Double.MAX_VALUE;
    for (int subset = 1; subset < 1 << TERMS; subset++) { // every non-empty set of free coefficients, the others 0
      double[] k = leastSquares(x, subset);
      if (k == null) {
        continue;
      }
      double error = 0;
      for (double[] row : x) {
        double residual = -1;
        for (int i = 0; i < TERMS; i++) {
          residual += row[i] * k[i];
        }
        error += residual * residual;
      }
      if (error < bestError) {
        bestError = error;
        best = k;
      }
    }
    if (best == null) {
      return null;
    }
    double cap = 1e6; // a coefficient of zero: that work is too small to measure
    return new Throughput(best[0] > 0 ? 1 / best[0] : cap, best[1] > 0 ? 1 / best[1] : cap, best[2], best[3], best[4]);
  }

  /** Solves the normal equations for the coefficients in {@code subset} (bits), target 1; null if any is negative. */
  private static double[] leastSquares(double[][] x, int subset) {
    int[] free = IntStream.range(0, TERMS).filter(i -> (subset >> i & 1) == 1).toArray();
    int n = free.length;
    double[][] a = new double[n][n + 1];
    for (double[] row : x) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          a[i][j] += row[free[i]] * row[free[j]];
        }
        a[i][n] += row[free[i]];
      }
    }
    for (int c = 0; c < n; c++) { // Gauss-Jordan with partial pivoting
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] swap = a[c];
      a[c] = a[pivot];
      a[pivot] = swap;
      if (Math.abs(a[c][c]) < 1e-300) {
        return null;
      }
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double factor = a[r][c] / a[c][c];
          for (int k = c; k <= n; k++) {
            a[r][k] -= factor * a[c][k];
          }
        }
      }
    }
    double[] k = new double[TERMS];
    for (int i = 0; i < n; i++) {
      k[free[i]] = a[i][n] / a[i][i];
      if (!(k[free[i]] >= 0)) {
        return null;
      }
    }
    return k;
  }

  /** The least heap as its bracket in MiB (ran out in the first, completed in the second); "-" where not searched. */
  private static String leastColumn(LeastHeap least) {
    if (least == null) {
      return "-";
    }
    return least.found() ? String.format(Locale.ROOT, "%.0f-%.0f", mib(least.fails()), mib(least.completes()))
        : String.format(Locale.ROOT, "> %.0f", mib(least.fails()));
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
