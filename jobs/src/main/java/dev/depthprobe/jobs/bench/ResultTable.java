package dev.depthprobe.jobs.bench;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A {@link SuiteReport} as text: a Markdown table with this run's ratios to the same-run sgemm and to the peers'
 * figures, where the peers' figures come from, where the time goes, issue 13's goals, memory flatness.
 */
public final class ResultTable {
  private static final String HEADER = "| case | batch | images/s | s/image | GFLOP/image | GFLOP/s | sgemm GFLOP/s "
      + "| of sgemm | ORT images/s | x ORT | PyTorch images/s | x PyTorch | peak RSS MiB | ORT peak RSS MiB "
      + "| threads |";
  private static final String RULE = "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

  private ResultTable() {}

  public static String format(SuiteReport report, Peers peers) {
    List<Comparison> comparisons = Comparison.of(report.results(), peers);
    StringBuilder out = new StringBuilder();
    out.append(report.model()).append(": weights ").append(mib(report.weightBytes())).append(" MiB (float32)\n\n");
    out.append(HEADER).append('\n').append(RULE).append('\n');
    comparisons.forEach(c -> out.append(row(c)).append('\n'));
    if (report.results().stream().anyMatch(r -> !r.peakSinceCaseStart())) {
      out.append("\n(peak RSS since the process started: this kernel does not let it be reset per case)\n");
    }
    out.append("\nsgemm GFLOP/s: the mean of ND4J's 1024^3 sgemm measured just before and just after each case.\n");
    out.append("The peers' figures are from earlier runs, not this one (this machine's speed moves by 10-20% between "
        + "runs):\n");
    out.append(provenance(peers.ort())).append(provenance(peers.pytorch()));
    out.append("\nWhere the time goes (stack samples of one more pass):\n");
    for (BenchResult r : report.results()) {
      out.append(String.format(Locale.ROOT, "- %s, batch %d (%.1f s pass): %s%n", r.caseName(), r.batch(),
          r.timeShares().seconds(), r.timeShares().describe()));
    }
    List<GoalCheck> goals = Issue13Goals.check(comparisons);
    if (!goals.isEmpty()) {
      out.append(String.format(Locale.ROOT, "%nIssue 13 goals (%d of %d met):%n", goals.stream().filter(GoalCheck::met)
          .count(), goals.size()));
      goals.forEach(g -> out.append("- ").append(g.describe()).append('\n'));
    }
    out.append('\n').append(flatness(report.flatness())).append('\n');
    return out.toString();
  }

  static String row(Comparison c) {
    BenchResult r = c.result();
    return String.format(Locale.ROOT,
        "| %s | %d | %.3f | %.2f | %.1f | %.1f | %.1f | %.0f%% | %s | %s | %s | %s | %.0f | %s | %d |",
        r.caseName(), r.batch(), r.imagesPerS(), r.secondsPerImage(), r.gflopsPerImage(), r.achievedGflopsPerS(),
        r.sgemmGflopsPerS(), r.ratioToSgemm() * 100, optional(c.ortImagesPerS(), "%.3f"),
        optional(c.ratioToOrt(), "%.2fx"), optional(c.pytorchImagesPerS(), "%.3f"),
        optional(c.ratioToPytorch(), "%.2fx"),
        r.peakRssMib(), optional(c.ortPeakRssMib(), "%.0f"), r.threads());
  }

  /** e.g. {@code - ONNX Runtime: 2026-12-06 ..., machine; versions; settings (source)}. */
  static String provenance(PeerFigures peer) {
    PeerFigures.Provenance p = peer.provenance();
    return String.format(Locale.ROOT, "- %s: measured %s on %s; %s; %s (from %s)%n", peer.name(), p.measured(),
        p.machine(), p.versions(), p.settings(), p.source());
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
