package dev.depthprobe.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/** A features run: its summary's counts and timing. */
final class FeaturesSection {
  private FeaturesSection() {}

  static Html write(ReportInput features, Configuration hadoopConf) throws IOException {
    JsonNode summary = features.json(ReportInput.SUMMARY, hadoopConf);
    Map<String, Long> kinds = new TreeMap<>();
    summary.path("error_kinds").fields().forEachRemaining(e -> kinds.put(e.getKey(), e.getValue().asLong()));
    return new Html().open("section", null)
        .element("h2", "Features run " + summary.path("run_id").asText())
        .open("div", "columns")
        .open("div", null).element("h3", "Images by status")
        .append(RunSummary.counts(summary.path("images").path("ok").asLong(),
            summary.path("images").path("error").asLong(), kinds)).close("div")
        .open("div", null).element("h3", "Run").append(RunSummary.timing(summary, features.path())).close("div")
        .close("div")
        .close("section");
  }
}
