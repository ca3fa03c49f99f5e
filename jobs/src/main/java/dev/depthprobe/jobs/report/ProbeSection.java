package dev.depthprobe.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.jobs.UserException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A probe run: accuracy, macro F1, the confusion matrix as a heat map, per-class precision and recall;
 * for a layer sweep ({@code layer_sweep.json} and {@code layer=L/metrics.json}) the sweep chart and table
 * first, then the best layer's figures.
 */
final class ProbeSection {
  private ProbeSection() {}

  static Html write(ReportInput probe, Configuration hadoopConf, Path folder) throws IOException {
    Html html = new Html().open("section", null);
    JsonNode metrics;
    if (probe.has(ReportInput.LAYER_SWEEP, hadoopConf)) {
      JsonNode sweep = probe.json(ReportInput.LAYER_SWEEP, hadoopConf);
      int best = sweep.path("best_layer").asInt();
      html.element("h2", "Linear probe: layer sweep").append(sweep(sweep, best, folder));
      String bestMetrics = "layer=" + best + "/" + ReportInput.METRICS;
      if (!probe.has(bestMetrics, hadoopConf)) {
        throw new UserException("--run " + probe.path() + ": has " + ReportInput.LAYER_SWEEP + " but no "
            + bestMetrics + " for its best layer");
      }
      metrics = probe.json(bestMetrics, hadoopConf);
      html.element("h3", "Best layer " + best);
    } else {
      metrics = probe.json(ReportInput.METRICS, hadoopConf);
      html.element("h2", "Linear probe");
    }
    return html.append(figures(metrics, probe.path(), folder)).close("section");
  }

  private static Html sweep(JsonNode sweep, int best, Path folder) throws IOException {
    List<LayerSweepChart.Point> points = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode layer : sweep.path("layers")) {
      points.add(new LayerSweepChart.Point(layer.path("layer").asInt(), layer.path("accuracy").asDouble(),
          layer.path("macro_f1").asDouble()));
      rows.add(List.of(layer.path("layer").asText() + (layer.path("layer").asInt() == best ? " (best)" : ""),
          Html.number(layer.path("accuracy").asDouble()), Html.number(layer.path("macro_f1").asDouble()),
          layer.path("reg_param").asText()));
    }
    ReportImage chart = new LayerSweepChart(points, best).draw(folder, "layer_sweep.png",
        "Linear-probe accuracy by layer");
    return new Html().open("figure", null).image(chart, "Probe accuracy and macro F1 against the layer")
        .close("figure")
        .table(List.of("layer", "accuracy", "macro F1", "regularisation"), rows, true);
  }

  private static Html figures(JsonNode metrics, String path, Path folder) throws IOException {
    List<List<String>> facts = new ArrayList<>();
    facts.add(List.of("accuracy", Html.number(metrics.path("accuracy").asDouble())));
    facts.add(List.of("macro F1", Html.number(metrics.path("macro_f1").asDouble())));
    facts.add(List.of("layer / recipe", metrics.path("layer").asText() + " / " + metrics.path("recipe").asText()));
    facts.add(List.of("regularisation", metrics.path("regularisation").path("chosen").asText()));
    JsonNode counts = metrics.path("counts");
    facts.add(List.of("images: train / validation / test", counts.path("train").asText() + " / "
        + counts.path("validation").asText() + " / " + counts.path("test").asText()));
    facts.add(List.of("features", metrics.path("train").asText()));
    facts.add(List.of("folder", path));
    JsonNode confusion = metrics.path("confusion_matrix");
    List<String> labels = new ArrayList<>();
    confusion.path("labels").forEach(l -> labels.add(l.asText()));
    long[][] matrix = new long[labels.size()][labels.size()];
    for (int i = 0; i < labels.size(); i++) {
      for (int j = 0; j < labels.size(); j++) {
        matrix[i][j] = confusion.path("counts").path(i).path(j).asLong();
      }
    }
    List<List<String>> perClass = new ArrayList<>();
    metrics.path("per_class").fields().forEachRemaining(e -> perClass.add(List.of(e.getKey(),
        Html.number(e.getValue().path("precision").asDouble()), Html.number(e.getValue().path("recall").asDouble()),
        Html.number(e.getValue().path("f1").asDouble()), e.getValue().path("support").asText())));
    String image = "confusion_layer" + metrics.path("layer").asText() + ".png";
    ReportImage heatMap = new ConfusionHeatMap(labels, matrix).draw(folder, image,
        "Confusion matrix (" + counts.path("test").asText() + " test images)");
    return new Html().facts(facts)
        .open("div", "columns")
        .open("figure", null).image(heatMap, "Confusion matrix: true label by predicted label")
        .element("figcaption", "Cells count test images; shade is the share of the true label's row.")
        .close("figure")
        .open("div", null).element("h3", "Per class")
        .table(List.of("class", "precision", "recall", "F1", "test images"), perClass, true)
        .close("div")
        .close("div");
  }
}
