package dev.depthprobe.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.jobs.evaluate.DepthErrors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** An evaluate-depth output: its {@code metrics.json} and {@code per_image} table. */
record EvaluationSection(String path, JsonNode metrics, Dataset<Row> perImage) {

  static EvaluationSection read(SparkSession spark, ReportInput evaluation, Configuration hadoopConf)
      throws IOException {
    return new EvaluationSection(evaluation.path(), evaluation.json(ReportInput.METRICS, hadoopConf),
        spark.read().parquet(evaluation.path() + "/per_image"));
  }

  double minDepth() {
    return metrics.path("min_depth").asDouble();
  }

  double maxDepth() {
    return metrics.path("max_depth").asDouble();
  }

  Html html() {
    List<List<String>> means = new ArrayList<>();
    for (String name : DepthErrors.NAMES) {
      JsonNode value = metrics.path("mean").path(name);
      means.add(List.of(name, value.isNumber() ? Html.number(value.asDouble()) : "–"));
    }
    JsonNode images = metrics.path("images");
    List<List<String>> counts = new ArrayList<>();
    counts.add(List.of("predictions", images.path("predictions").asText()));
    counts.add(List.of("evaluated", images.path("evaluated").asText()));
    images.path("not_evaluated_by_kind").fields().forEachRemaining(
        e -> counts.add(List.of("not evaluated: " + e.getKey(), e.getValue().asText())));
    List<List<String>> settings = new ArrayList<>();
    settings.add(List.of("folder", path));
    settings.add(List.of("ground truth", metrics.path("ground_truth").asText("–")));
    settings.add(List.of("valid depth", "between " + metrics.path("min_depth").asText() + " and "
        + metrics.path("max_depth").asText() + " m (exclusive)"));
    settings.add(List.of("crop", metrics.path("crop").asText("none")));
    if (metrics.has("protocol")) {
      settings.add(List.of("protocol", metrics.path("protocol").asText()));
    }
    settings.add(List.of("averaging", metrics.path("averaging").asText("–")));
    return new Html().open("section", null)
        .element("h2", "Depth evaluation")
        .open("div", "columns")
        .open("div", null).element("h3", "Mean over images").table(List.of("metric", "value"), means, true)
        .close("div")
        .open("div", null).element("h3", "Images").table(List.of("images", "count"), counts, true).close("div")
        .close("div")
        .element("h3", "Settings")
        .facts(settings)
        .close("section");
  }
}
