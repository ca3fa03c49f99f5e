package dev.depthprobe.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.datasets.DepthColormap;
import dev.depthprobe.datasets.DepthGroundTruthLoader;
import dev.depthprobe.model.DepthMap;
import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.jobs.JobSummary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A depth run: rows by status and error kind, the summary's timing, the histogram of all predicted pixel
 * depths, and a card per image (the first {@code maxImages} by image id) with its thumbnails and metrics.
 */
final class DepthSection {
  private static final Logger LOG = LoggerFactory.getLogger(DepthSection.class);
  static final int HISTOGRAM_BINS = 40;

  private final SparkSession spark;
  private final Configuration hadoopConf;
  private final Path folder;

  DepthSection(SparkSession spark, Path folder) {
    this.spark = spark;
    this.hadoopConf = spark.sparkContext().hadoopConfiguration();
    this.folder = folder;
  }

  /** @param evaluation the run's evaluation, or null */
  Html write(ReportInput depth, EvaluationSection evaluation, int maxImages) throws IOException {
    Dataset<Row> rows = spark.read().parquet(depth.path());
    JobSummary.Counts counts = JobSummary.Counts.of(rows);
    JsonNode summary = depth.json(ReportInput.SUMMARY, hadoopConf);
    Html html = new Html().open("section", null)
        .element("h2", "Depth run " + summary.path("run_id").asText())
        .open("div", "columns")
        .open("div", null).element("h3", "Images by status")
        .append(RunSummary.counts(counts.ok(), counts.error(), counts.errorKinds())).close("div")
        .open("div", null).element("h3", "Run").append(RunSummary.timing(summary, depth.path())).close("div")
        .close("div");
    DepthHistogram histogram = histogram(rows);
    if (histogram != null) {
      html.open("figure", null)
          .image(histogram.draw(folder, "depth_histogram.png", "Predicted depth of all pixels of "
              + counts.ok() + " images"), "Histogram of predicted depths")
          .element("figcaption", String.format(Locale.ROOT, "%d pixels in %d bins from %.3f to %.3f m.",
              histogram.total(), HISTOGRAM_BINS, histogram.min(), histogram.max()))
          .close("figure");
    }
    List<Row> shown = rows.select("image_id", "source", "width", "height", "depth", "depth_height", "depth_width",
            "depth_min", "depth_max", "depth_mean", "status", "error")
        .orderBy("image_id").limit(maxImages).collectAsList();
    Map<String, Row> evaluated = evaluation == null ? Map.of() : perImage(evaluation, shown);
    html.element("h3", "Images (" + shown.size() + " of " + counts.total() + ", by image id)")
        .element("p", "note", "Depth in magma: near is bright, far is dark (5th to 95th percentile of the "
            + "prediction; the ground truth on the same scale), black where there is none."
            + (evaluation == null ? "" : " Error: |pred - gt| / gt from 0 (dark) to " + DepthTiles.MAX_ERROR
            + " or more (bright), grey where the ground truth is not valid; metrics are the evaluation's."));
    html.open("div", "grid");
    for (int i = 0; i < shown.size(); i++) {
      html.append(card(shown.get(i), i, evaluated.get(shown.get(i).<String>getAs("image_id")), evaluation));
    }
    return html.close("div").close("section");
  }

  /** Pixel depths of the ok rows in equal bins between the smallest and largest; null without any. */
  private DepthHistogram histogram(Dataset<Row> rows) {
    Dataset<Row> ok = rows.where(col("status").equalTo("ok"));
    Row range = ok.agg(min("depth_min"), max("depth_max")).first();
    if (range.isNullAt(0) || range.isNullAt(1)) {
      return null;
    }
    double lo = range.getFloat(0);
    double hi = Math.max(range.getFloat(1), lo + 1e-6);
    double width = (hi - lo) / HISTOGRAM_BINS;
    long[] counts = new long[HISTOGRAM_BINS];
    Dataset<Row> pixels = ok.select(explode(col("depth")).as("d")).where(not(isnan(col("d"))));
    for (Row r : pixels.select(least(lit(HISTOGRAM_BINS - 1), floor(col("d").minus(lo).divide(width))).as("bin"))
        .groupBy("bin").count().collectAsList()) {
      counts[(int) Math.max(0, r.getLong(0))] += r.getLong(1);
    }
    return new DepthHistogram(lo, hi, counts);
  }

  private static Map<String, Row> perImage(EvaluationSection evaluation, List<Row> shown) {
    Object[] ids = shown.stream().map(r -> r.getAs("image_id")).toArray();
    Map<String, Row> out = new HashMap<>();
    evaluation.perImage().where(col("image_id").isin(ids)).collectAsList()
        .forEach(r -> out.put(r.getAs("image_id"), r));
    return out;
  }

  private Html card(Row row, int index, Row evaluated, EvaluationSection evaluation) throws IOException {
    String imageId = row.getAs("image_id");
    Html card = new Html().open("div", "card").element("h4", imageId);
    if (!"ok".equals(row.getAs("status"))) {
      return card.element("p", "error", row.<String>getAs("error")).close("div");
    }
    int height = row.<Integer>getAs("depth_height");
    int width = row.<Integer>getAs("depth_width");
    float[] depth = floats(row.getList(row.fieldIndex("depth")));
    DepthTiles tiles = new DepthTiles(folder, width, height);
    String prefix = String.format(Locale.ROOT, "img/%04d-", index);
    card.open("div", "tiles");
    RgbImage input = readInput(row.getAs("source"));
    if (input != null) {
      tile(card, tiles.input(input, prefix + "input.png"), "input", "Input " + imageId);
    }
    DepthColormap.Scale scale = DepthColormap.scaleOf(depth);
    tile(card, tiles.depth(depth, height, width, scale, prefix + "depth.png"), "depth", "Predicted depth of "
        + imageId);
    DepthMap groundTruth = evaluated == null ? null : readGroundTruth(evaluated.getAs("depth_gt_path"));
    if (groundTruth != null && groundTruth.height() == height && groundTruth.width() == width) {
      tile(card, tiles.depth(groundTruth.metres(), height, width, scale, prefix + "gt.png"), "ground truth",
          "Ground-truth depth of " + imageId);
      tile(card, tiles.absRelError(depth, groundTruth.metres(), height, width, evaluation.minDepth(),
          evaluation.maxDepth(), prefix + "error.png"), "abs rel error", "Absolute relative error of " + imageId);
    }
    card.close("div");
    List<List<String>> facts = new ArrayList<>();
    facts.add(List.of("size", row.getAs("width") + " x " + row.getAs("height") + " (depth " + width + " x "
        + height + ")"));
    facts.add(List.of("depth min / mean / max", String.format(Locale.ROOT, "%.3f / %.3f / %.3f m",
        row.<Float>getAs("depth_min"), row.<Float>getAs("depth_mean"), row.<Float>getAs("depth_max"))));
    if (evaluated != null) {
      if ("ok".equals(evaluated.getAs("status"))) {
        facts.add(List.of("abs rel / rmse", Html.number(evaluated.<Double>getAs("abs_rel")) + " / "
            + Html.number(evaluated.<Double>getAs("rmse")) + " m"));
        facts.add(List.of("δ < 1.25 / valid pixels", Html.number(evaluated.<Double>getAs("delta1")) + " / "
            + evaluated.<Long>getAs("valid_pixels")));
      } else {
        String error = evaluated.<String>getAs("error");
        facts.add(List.of("not evaluated", error.contains(":") ? error.substring(0, error.indexOf(':')) : error));
      }
    }
    return card.facts(facts).close("div");
  }

  private static void tile(Html card, ReportImage image, String caption, String alt) {
    card.open("figure", null).image(image, alt).element("figcaption", caption).close("figure");
  }

  /** The input image, oriented as the model saw it; null (and a warning) when it cannot be read any more. */
  private RgbImage readInput(String source) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(source);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      String tooLarge = ImageLoader.tooLargeToRead(fs.getFileStatus(path).getLen(), ImageLoader.DEFAULT_MAX_PIXELS);
      if (tooLarge != null) {
        LOG.warn("report: no thumbnail of {}: {}", source, tooLarge);
        return null;
      }
      try (InputStream in = fs.open(path)) {
        return new ImageLoader().load(in.readAllBytes(), path.getName());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("report: no thumbnail of {}: {}", source, e.toString());
      return null;
    }
  }

  private static DepthMap readGroundTruth(String location) {
    if (location == null) {
      return null;
    }
    try {
      return DepthGroundTruthLoader.load(location);
    } catch (IOException | RuntimeException e) {
      LOG.warn("report: no ground truth from {}: {}", location, e.toString());
      return null;
    }
  }

  private static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      Float v = values.get(i);
      out[i] = v == null ? Float.NaN : v;
    }
    return out;
  }
}
