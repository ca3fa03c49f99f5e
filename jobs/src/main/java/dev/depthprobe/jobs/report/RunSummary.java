package dev.depthprobe.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A job's {@code _summary.json} as report tables: what ran and how long it took; rows by status and error kind. */
final class RunSummary {
  private RunSummary() {}

  static Html timing(JsonNode summary, String folder) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("folder", folder));
    rows.add(List.of("model", summary.path("model").path("name").asText("–")));
    rows.add(List.of("started", summary.path("started").asText("–")));
    rows.add(List.of("finished", summary.path("finished").asText("–")));
    rows.add(List.of("wall time", String.format(Locale.ROOT, "%.1f s", summary.path("seconds").asDouble())));
    rows.add(List.of("images per second", String.format(Locale.ROOT, "%.2f",
        summary.path("images_per_second").asDouble())));
    rows.add(List.of("model time (summed over tasks)", String.format(Locale.ROOT, "%.1f s",
        summary.path("model_ms").asLong() / 1000.0)));
    rows.add(List.of("versions", "depthprobe " + summary.path("depthprobe_version").asText("?") + ", Spark "
        + summary.path("spark_version").asText("?")));
    return new Html().facts(rows);
  }

  /** Rows by status, then error rows by kind (the text of {@code error} before its first colon). */
  static Html counts(long ok, long error, Map<String, Long> errorKinds) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("ok", Long.toString(ok)));
    rows.add(List.of("error", Long.toString(error)));
    errorKinds.forEach((kind, n) -> rows.add(List.of("error: " + kind, Long.toString(n))));
    rows.add(List.of("total", Long.toString(ok + error)));
    return new Html().table(List.of("status", "rows"), rows, true);
  }
}
