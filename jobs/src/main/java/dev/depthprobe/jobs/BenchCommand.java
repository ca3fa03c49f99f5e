package dev.depthprobe.jobs;

import dev.depthprobe.jobs.bench.BenchOptions;
import dev.depthprobe.jobs.bench.BenchSuite;
import dev.depthprobe.jobs.bench.BenchThreads;
import dev.depthprobe.jobs.bench.GlpnBench;
import dev.depthprobe.jobs.bench.ImageGptBench;
import dev.depthprobe.jobs.bench.Machine;
import dev.depthprobe.jobs.bench.MemoryFlatness;
import dev.depthprobe.jobs.bench.ResultJson;
import dev.depthprobe.jobs.bench.ResultTable;
import dev.depthprobe.jobs.bench.SuiteReport;
import dev.depthprobe.jobs.bench.SparkBench;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code depthprobe bench}: throughput, memory and Spark overhead of the models (issues 3, 4 and 8). */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "glpn: GLPN-b4 (glpn-kitti config, random weights) at 352x1216 and 480x640, batch 1 and 4.",
        "imagegpt: ImageGPT-small (random weights), batch 1, 8 and 32: the full forward pass (24 layers) and "
            + "the layer-12 probe, which stops after block 12.",
        "Both print images/s (median of the timed runs after warm-up), GFLOP/s against ND4J's 1024^3 sgemm "
            + "measured before each case, the PyTorch peer's images/s (shared/fixtures/BENCH.md), peak RSS, "
            + "where the time goes (stack samples of one more pass), issue 8's goals and RSS before and after "
            + MemoryFlatness.PASSES + " passes of a small case.",
        "spark: the depth job on local[2] over 64 images of 320x240 against the same work done directly in one JVM "
            + "(decode, preprocess, model, post-process).",
        "Benchmarks are only comparable on a quiet machine: they say nothing about other processes' load."})
public final class BenchCommand implements Callable<Integer> {

  /** What to measure. */
  enum Target { GLPN, IMAGEGPT, SPARK }

  @Mixin
  CommonOptions common;

  @Mixin
  DeviceOption deviceOption;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "glpn|imagegpt|spark", description = "What to benchmark.")
  Target target;

  @Option(names = "--quick", description = "One small case (GLPN-b4 at 96x128, batch 1; the probe at batch 1; "
      + "Spark over 8 images of 160x128) and " + MemoryFlatness.QUICK_PASSES + " passes for the flatness check.")
  boolean quick;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as a JSON list.")
  Path json;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "1",
      description = "Untimed passes before the timed ones (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
      description = "Timed passes per case; the median is reported (default: ${DEFAULT-VALUE}).")
  int runs;

  @Override
  public Integer call() throws Exception {
    int threads = common.threads == null ? Runtime.getRuntime().availableProcessors() : common.threads;
    if (warmup < 0 || runs < 1 || threads < 1) {
      throw new UserException("need --warmup >= 0, --runs >= 1 and --threads >= 1");
    }
    // one line and exit code 2 where this build cannot run on --device; ND4J then uses its default device
    deviceOption.resolve(Map.of());
    BenchOptions options = new BenchOptions(warmup, runs, threads);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("depthprobe bench %s%s, %s, %s, %d threads%n%n", target.name().toLowerCase(), quick ? " --quick" : "",
        LocalDate.now(), Machine.describe(), threads);
    out.flush();
    if (target == Target.SPARK) {
      SparkBench.Result result = SparkBench.run(options, quick);
      out.println(result.describe());
      out.flush();
      if (json != null) {
        result.writeJson(json);
      }
      return ExitCodes.OK;
    }
    BenchThreads.use(threads);
    BenchSuite suite = target == Target.GLPN ? GlpnBench.suite(quick) : ImageGptBench.suite(quick);
    SuiteReport report = SuiteReport.run(suite, options);
    out.print(ResultTable.format(report));
    out.flush();
    if (json != null) {
      ResultJson.write(json, report.results());
    }
    return ExitCodes.OK;
  }
}
