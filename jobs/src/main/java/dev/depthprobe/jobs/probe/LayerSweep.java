package dev.depthprobe.jobs.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.jobs.UserException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iGPT paper's layer sweep: one probe per layer of a feature table, each on the same split and
 * regularisation grid (the splits hash {@code image_id} with the seed, so every layer holds out the
 * same images), each written as {@link ProbeJob} writes one under {@code output/layer=L/}; then
 * {@code layer_sweep.json} ({@code {"layers": [{"layer", "accuracy", "macro_f1", "reg_param"}, ...],
 * "best_layer"}}) and {@code layer_sweep.png} ({@link LayerSweepChart}) in {@code output}. The best
 * layer has the highest test accuracy; ties go to the lower layer (the shorter forward pass).
 * Driver-only.
 */
public final class LayerSweep {
  private static final Logger LOG = LoggerFactory.getLogger(LayerSweep.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String JSON_FILE = "layer_sweep.json";
  public static final String PNG_FILE = "layer_sweep.png";

  private LayerSweep() {}

  /** The folder of one layer's probe inside the sweep's output. */
  public static String layerDir(String output, int layer) {
    return output + "/layer=" + layer;
  }

  /**
   * The layers to probe: all of the training table's ({@code asked == null}) or the asked ones, which
   * must be in it.
   */
  public static List<Integer> layers(SparkSession spark, ProbeJob.Options options, List<Integer> asked) {
    List<Integer> available = FeatureTable.read(spark, options.train(), "--train").layers();
    if (asked == null) {
      return available;
    }
    for (int layer : asked) {
      if (!available.contains(layer)) {
        throw new UserException("--train " + options.train() + ": has no layer " + layer + " (layers: " + available
            + ")");
      }
    }
    return asked.stream().sorted().toList();
  }

  /**
   * Probes each of {@code layers} and writes the sweep's files into {@code options.output()}; returns the
   * content of {@code layer_sweep.json}.
   */
  public static ObjectNode run(SparkSession spark, ProbeJob.Options options, List<Integer> layers)
      throws IOException {
    List<JsonNode> reports = new ArrayList<>();
    for (int layer : layers) {
      LOG.info("Layer sweep: probing layer {} ({} of {})", layer, reports.size() + 1, layers.size());
      reports.add(ProbeJob.run(spark, options.atLayer(layer, layerDir(options.output(), layer))));
    }
    ObjectNode sweep = summary(reports);
    FileSystem fs = new Path(options.output()).getFileSystem(spark.sparkContext().hadoopConfiguration());
    try (OutputStream out = fs.create(new Path(options.output(), JSON_FILE), true)) {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out, sweep);
    }
    byte[] png = LayerSweepChart.png(points(sweep), sweep.path("best_layer").asInt(),
        1.0 / reports.get(0).path("classes").size(), subtitle(reports.get(0)));
    try (OutputStream out = fs.create(new Path(options.output(), PNG_FILE), true)) {
      out.write(png);
    }
    return sweep;
  }

  /** {@code layer_sweep.json} from the per-layer metrics.json contents, in layer order. */
  static ObjectNode summary(List<JsonNode> reports) {
    if (reports.isEmpty()) {
      throw new IllegalArgumentException("no layer was probed");
    }
    ObjectNode sweep = JSON.createObjectNode();
    ArrayNode layers = sweep.putArray("layers");
    JsonNode best = null;
    for (JsonNode report : reports) {
      layers.addObject()
          .put("layer", report.path("layer").asInt())
          .put("accuracy", report.path("accuracy").asDouble())
          .put("macro_f1", report.path("macro_f1").asDouble())
          .put("reg_param", report.path("regularisation").path("chosen").asDouble());
      if (best == null || report.path("accuracy").asDouble() > best.path("accuracy").asDouble()) {
        best = report;
      }
    }
    sweep.put("best_layer", best.path("layer").asInt());
    return sweep;
  }

  static List<LayerSweepChart.Point> points(JsonNode sweep) {
    List<LayerSweepChart.Point> points = new ArrayList<>();
    sweep.path("layers").forEach(l -> points.add(new LayerSweepChart.Point(l.path("layer").asInt(),
        l.path("accuracy").asDouble())));
    return points;
  }

  private static String subtitle(JsonNode report) {
    List<String> models = new ArrayList<>();
    report.path("models").forEach(m -> models.add(m.asText()));
    return String.format(Locale.ROOT, "%s, recipe %s, %d classes, %d test images", String.join(", ", models),
        report.path("recipe").asText(), report.path("classes").size(), report.path("counts").path("test").asLong());
  }
}
