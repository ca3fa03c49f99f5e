package dev.depthprobe.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.udfs.ImageCounters;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * {@code _summary.json} of a run, written in the run's folder beside its rows and {@code _SUCCESS}: the
 * counts of ok and error images and the error kinds, from the job's accumulators (which count each written
 * image once, see {@link ImageCounters}), throughput, the model (and how many times executors built it:
 * {@code models_built}, one per executor and device unless a model cache evicted and rebuilt it), and the
 * Spark and depthprobe versions.
 */
public record JobSummary(String job, RunOutput run, Instant started, Instant finished, Counts counts,
    long modelMillis, long modelsBuilt, String modelName, String modelHash, String sparkVersion) {

  public static final String FILE_NAME = "_summary.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Images (or rows) by {@code status}, and error ones by kind: the text of the {@code error} column before
   * the first colon ({@code "decode: ..."} is of kind {@code decode}).
   */
  public record Counts(long ok, long error, Map<String, Long> errorKinds) {
    public long total() {
      return ok + error;
    }

    /** The images a job's partition functions counted: as many as its written rows hold. */
    public static Counts of(ImageCounters counters) {
      Map<String, Long> kinds = counters.failedByKind();
      return new Counts(counters.ok(), kinds.values().stream().mapToLong(Long::longValue).sum(), kinds);
    }

    /** The rows of a written run, counted by a Spark job over them. */
    public static Counts of(Dataset<Row> rows) {
      long ok = 0;
      long error = 0;
      Map<String, Long> kinds = new TreeMap<>();
      for (Row r : rows.groupBy(functions.col("status"),
              functions.substring_index(functions.col("error"), ":", 1).as("kind"))
          .count().collectAsList()) {
        long n = r.getLong(2);
        if ("ok".equals(r.getString(0))) {
          ok += n;
        } else {
          error += n;
          kinds.merge(r.isNullAt(1) ? "unknown" : r.getString(1), n, Long::sum);
        }
      }
      return new Counts(ok, error, kinds);
    }
  }

  public double seconds() {
    return Duration.between(started, finished).toMillis() / 1000.0;
  }

  public double imagesPerSecond() {
    return seconds() > 0 ? counts.total() / seconds() : 0;
  }

  public String path() {
    return new Path(run.runPath(), FILE_NAME).toString();
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("job", job);
    root.put("run_id", run.runId());
    root.put("output", run.output());
    root.put("started", started.toString());
    root.put("finished", finished.toString());
    root.put("seconds", seconds());
    ObjectNode images = root.putObject("images");
    images.put("total", counts.total());
    images.put("ok", counts.ok());
    images.put("error", counts.error());
    ObjectNode kinds = root.putObject("error_kinds");
    counts.errorKinds().forEach(kinds::put);
    root.put("images_per_second", imagesPerSecond());
    root.put("model_ms", modelMillis);
    root.put("models_built", modelsBuilt);
    ObjectNode model = root.putObject("model");
    model.put("name", modelName);
    model.put("content_hash", modelHash);
    root.put("spark_version", sparkVersion);
    root.put("depthprobe_version", Version.depthprobe());
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@link #toJson()} to {@link #path()} on the output's file system, replacing it. */
  public void write(Configuration hadoopConf) {
    Path path = new Path(path());
    try (OutputStream out = path.getFileSystem(hadoopConf).create(path, true)) {
      out.write(toJson().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }
}
