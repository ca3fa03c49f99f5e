package dev.depthprobe.jobs;

import dev.depthprobe.jobs.bench.BenchOptions;
import dev.depthprobe.jobs.bench.BenchSuite;
import dev.depthprobe.jobs.bench.BenchThreads;
import dev.depthprobe.jobs.bench.GlpnBench;
import dev.depthprobe.jobs.bench.ImageGptBench;
import dev.depthprobe.jobs.bench.Machine;
import dev.depthprobe.jobs.bench.MemoryFlatness;
import dev.depthprobe.jobs.bench.Peers;
import dev.depthprobe.jobs.bench.ResultJson;
import dev.depthprobe.jobs.bench.ResultTable;
import dev.depthprobe.jobs.bench.SoakCommand;
import dev.depthprobe.jobs.bench.SuiteReport;
import dev.depthprobe.jobs.bench.CalibrationBench;
import dev.depthprobe.jobs.bench.SparkBench;
import dev.depthprobe.jobs.bench.SparkScaling;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code depthprobe bench}: throughput, memory and Spark overhead of the models (issues 3, 4, 8 and 13). */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, subcommands = SoakCommand.class,
    description = {
        "glpn: GLPN-b4 (glpn-kitti config, random weights) at 352x1216 and 480x640, batch 1 and 4.",
        "imagegpt: ImageGPT-small (random weights), batch 1, 8 and 32: the full forward pass (24 layers) and "
            + "the layer-12 probe, which stops after block 12.",
        "Both print images/s (median of the timed runs after warm-up), GFLOP/s against ND4J's 1024^3 sgemm "
            + "measured before and after each case, the ONNX Runtime and PyTorch peers' images/s and this run's "
            + "ratio to each (their figures, with date, machine, versions and settings, are bundled in peers.json), "
            + "peak RSS beside ONNX Runtime's, where the time goes (stack samples of one more pass), issue 13's goals "
            + "(met or not, by how much) and RSS before and after " + MemoryFlatness.PASSES
            + " passes of a small case.",
        "spark: the depth job on local[2] over " + SparkBench.IMAGES + " images of 320x240 (--images N to change "
            + "the count) against the same work done directly in one JVM (decode, preprocess, model, post-process), "
            + "and issue 13's goal for the ratio; with --scaling, instead, the job's images/s over "
            + "64, 256 and 1024 images (--images N,N,... to change them) on Spark's local-cluster with one and with two "
            + "executors of one core, in JVMs of their own, and two executors' images/s over one's.",
        "calibrate: the admission estimates (memory, seconds) against measurements, tiny GLPN and GLPN-b4, one JVM per "
            + "image size; prints the table and the throughput fitted to the run.",
        "Benchmarks are only comparable on a quiet machine: they say nothing about other processes' load."})
public final class BenchCommand implements Callable<Integer> {

  /** What to measure. */
  enum Target { GLPN, IMAGEGPT, SPARK, CALIBRATE }

  @Mixin
  CommonOptions common;

  @Mixin
  DeviceOption deviceOption;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "glpn|imagegpt|spark|calibrate",
      descriptionKey = "target")
  Target target;

  @Option(names = "--quick", description = "One small case (GLPN-b4 at 96x128, batch 1; the probe at batch 1; "
      + "Spark over 8 images of 160x128) and " + MemoryFlatness.QUICK_PASSES + " passes for the flatness check.")
  boolean quick;

  @Option(names = "--images", paramLabel = "N", split = ",", description = "bench spark only: how many images the "
      + "depth job reads (default: " + SparkBench.IMAGES + ", or " + SparkBench.QUICK_IMAGES + " with --quick); with "
      + "--scaling, a list (default: 64,256,1024).")
  List<Integer> images;

  @Option(names = "--scaling")
  boolean scaling;

  @Option(names = "--json", paramLabel = "FILE")
  Path json;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "1")
  int warmup;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "3")
  int runs;

  @Option(names = "--sizes", paramLabel = "WxH", split = ",")
  List<String> sizes;

  @Option(names = "--models", paramLabel = "MODEL", split = ",", defaultValue = "TINY,B4")
  List<CalibrationBench.Model> models;

  @Option(names = "--max-seconds", paramLabel = "S", defaultValue = "900")
  double maxSeconds;

  @Option(names = "--least-heap")
  boolean leastHeap;

  @Override
  public Integer call() throws Exception {
    if (target == null) {
      throw new UserException("name what to benchmark: glpn, imagegpt, spark, calibrate or soak");
    }
    int threads = common.threads == null ? Runtime.getRuntime().availableProcessors() : common.threads;
    if (warmup < 0 || runs < 1 || threads < 1) {
      throw new UserException("need --warmup >= 0, --runs >= 1 and --threads >= 1");
    }
    if ((images != null || scaling) && target != Target.SPARK) {
      throw new UserException((scaling ? "--scaling" : "--images") + " applies to bench spark only");
    }
    if (images != null) {
      images.stream().filter(n -> n < 1).findFirst().ifPresent(n -> {
        throw new UserException("need --images >= 1, got " + n);
      });
    }
    if (images != null && images.size() > 1 && !scaling) {
      throw new UserException("--images takes one count, or a list with --scaling; got " + images);
    }
    // one line and exit code 2 where this build cannot run on --device; ND4J then uses its default device
    deviceOption.resolve(Map.of());
    BenchOptions options = new BenchOptions(warmup, runs, threads);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("depthprobe bench %s%s, %s, %s, %d threads, %s%n%n", target.name().toLowerCase(),
        (quick ? " --quick" : "") + (scaling ? " --scaling" : "")
            + (images == null ? "" : " --images " + images.stream().map(String::valueOf).collect(Collectors.joining(","))),
        LocalDate.now(), Machine.describe(), threads, Machine.collector());
    out.flush();
    if (target == Target.CALIBRATE) {
      List<CalibrationBench.Size> calibrationSizes;
      try {
        calibrationSizes = sizes == null ? CalibrationBench.DEFAULT_SIZES
            : sizes.stream().map(CalibrationBench.Size::parse).toList();
      } catch (IllegalArgumentException e) {
        throw new UserException("--sizes: " + e.getMessage());
      }
      if (!(maxSeconds > 0)) {
        throw new UserException("need --max-seconds > 0");
      }
      CalibrationBench.run(Path.of(BundledSample.GLPN_TINY.resolve(BundledSample.OPTION_VALUE)), models,
          calibrationSizes, maxSeconds, threads, leastHeap, out);
      return ExitCodes.OK;
    }
    if (target == Target.SPARK && scaling) {
      out.print(SparkScaling.table(SparkScaling.run(SparkBench.workload(quick),
          images == null ? SparkScaling.IMAGES : images, SparkScaling.EXECUTORS)));
      out.flush();
      return ExitCodes.OK;
    }
    if (target == Target.SPARK) {
      SparkBench.Workload workload = SparkBench.workload(quick);
      SparkBench.Result result = SparkBench.run(options, images == null ? workload : workload.withImages(images.get(0)));
      out.println(result.describe());
      out.flush();
      if (json != null) {
        result.writeJson(json);
      }
      return ExitCodes.OK;
    }
    Peers peers = Peers.load();
    BenchThreads.use(threads);
    BenchSuite suite = target == Target.GLPN ? GlpnBench.suite(quick) : ImageGptBench.suite(quick);
    SuiteReport report = SuiteReport.run(suite, options);
    out.print(ResultTable.format(report, peers));
    out.flush();
    if (json != null) {
      ResultJson.write(json, report.results(), peers);
    }
    return ExitCodes.OK;
  }
}
