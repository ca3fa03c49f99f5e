package dev.depthprobe.jobs.bench;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** A {@link SuiteReport} as text: a Markdown table, where the time goes, issue 8's goals, memory flatness. */
public final class ResultTable {
  private static final String HEADER = "| case | batch | images/s | s/image | GFLOP/image | GFLOP/s | sgemm GFLOP/s "
      + "| of sgemm | PyTorch images/s | x PyTorch | peak RSS MiB | threads |";
  private static final String RULE = "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

  private ResultTable() {}

  public static String format(SuiteReport report) {
    StringBuilder out = new StringBuilder();
    out.append(report.model()).append(": weights ").append(mib(report.weightBytes())).append(" MiB (float32)\n\n");
    out.append(HEADER).append('\n').append(RULE).append('\n');
    for (BenchResult r : report.results()) {
      out.append(row(r)).append('\n');
    }
    if (report.results().stream().anyMatch(r -> !r.peakSinceCaseStart())) {
      out.append("\n(peak RSS since the process started: this kernel does not let it be reset per case)\n");
    }
    out.append("\nsgemm GFLOP/s: the mean of ND4J's 1024^3 sgemm measured just before and just after each case.\n");
    out.append("\nWhere the time goes (stack samples of one more pass):\n");
    for (BenchResult r : report.results()) {
      out.append(String.format(Locale.ROOT, "- %s, batch %d (%.1f s pass): %s%n", r.caseName(), r.batch(),
          r.timeShares().seconds(), r.timeShares().describe()));
    }
    List<GoalCheck> goals = Issue8Goals.check(report.results());
    if (!goals.isEmpty()) {
      out.append("\nIssue 8 goals:\n");
      goals.forEach(g -> out.append("- ").append(g.describe()).append('\n'));
    }
    out.append('\n').append(flatness(report.flatness())).append('\n');
    return out.toString();
  }

  static String row(BenchResult r) {
    return String.format(Locale.ROOT, "| %s | %d | %.3f | %.2f | %.1f | %.1f | %.1f | %.0f%% | %s | %s | %.0f | %d |",
        r.caseName(), r.batch(), r.imagesPerS(), r.secondsPerImage(), r.gflopsPerImage(), r.achievedGflopsPerS(),
        r.sgemmGflopsPerS(), r.ratioToSgemm() * 100, optional(r.pytorchImagesPerS(), "%.3f"),
        optional(r.ratioToPytorch(), "%.2fx"), r.peakRssMib(), r.threads());
  }

  static String flatness(MemoryFlatness f) {
    return String.format(Locale.ROOT, "Memory flatness (%s, batch %d): RSS %.0f MiB after warm-up, %.0f MiB after %d "
        + "more passes (%+.0f MiB; Java heap committed %.0f -> %.0f MiB; outside the heap %+.0f MiB): %s",
        f.caseName(), f.batch(), f.before().rssMib(), f.after().rssMib(), f.passes(), f.growthMib(), f.heapBeforeMib(),
        f.heapAfterMib(), f.outsideHeapGrowthMib(),
        f.flat() ? "flat" : "NOT flat (over " + Math.round(MemoryFlatness.TOLERANCE_MIB) + " MiB outside the heap)");
  }

  private static String optional(OptionalDouble value, String format) {
    return value.isPresent() ? String.format(Locale.ROOT, format, value.getAsDouble()) : "-";
  }

  private static long mib(long bytes) {
    return Math.round(bytes / (1024.0 * 1024.0));
  }
}
