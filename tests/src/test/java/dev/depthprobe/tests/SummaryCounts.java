package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.jobs.JobSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/** A run's {@code _summary.json} against the rows the run wrote: the summary counts exactly those images. */
final class SummaryCounts {
  private SummaryCounts() {}

  /**
   * Asserts that the summary in {@code runFolder} counts the images of {@code rows} (one row per image, as
   * read back from the run's Parquet) by status and by error kind, the text of {@code error} before its colon.
   */
  static void assertCountsRows(Path runFolder, List<Row> rows) throws IOException {
    JsonNode summary = new ObjectMapper().readTree(runFolder.resolve(JobSummary.FILE_NAME).toFile());
    long ok = rows.stream().filter(r -> "ok".equals(r.getAs("status"))).count();
    Map<String, Long> kinds = rows.stream().filter(r -> !"ok".equals(r.getAs("status")))
        .collect(Collectors.groupingBy(r -> r.<String>getAs("error").split(":", 2)[0], TreeMap::new,
            Collectors.counting()));
    Map<String, Long> summaryKinds = new TreeMap<>();
    summary.get("error_kinds").properties().forEach(e -> summaryKinds.put(e.getKey(), e.getValue().asLong()));
    assertEquals(rows.size(), summary.at("/images/total").asLong(), "the summary's images against the rows written");
    assertEquals(ok, summary.at("/images/ok").asLong(), "the summary's ok images against the rows written");
    assertEquals(rows.size() - ok, summary.at("/images/error").asLong(),
        "the summary's error images against the rows written");
    assertEquals(kinds, summaryKinds, "the summary's error kinds against the rows written");
  }
}
