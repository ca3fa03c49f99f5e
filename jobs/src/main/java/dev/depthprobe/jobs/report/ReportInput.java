package dev.depthprobe.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.jobs.RunOutput;
import dev.depthprobe.jobs.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One {@code --run} folder and what it holds, told by its files: a depth or features run
 * ({@code _summary.json} of that job), an evaluate-depth output ({@code metrics.json} beside
 * {@code per_image/}) or a probe run ({@code metrics.json} with an accuracy, or {@code layer_sweep.json}).
 * A job's output folder that holds a single {@code run_id=...} folder stands for that run.
 */
record ReportInput(Kind kind, String path) {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SUMMARY = "_summary.json";
  static final String METRICS = "metrics.json";
  static final String LAYER_SWEEP = "layer_sweep.json";

  enum Kind { DEPTH, EVALUATION, FEATURES, PROBE }

  static ReportInput detect(String location, Configuration hadoopConf) {
    Path path = new Path(location);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      if (!fs.isDirectory(path)) {
        throw new UserException("--run " + location + ": no such folder");
      }
      String qualified = fs.makeQualified(path).toString();
      if (fs.exists(new Path(path, LAYER_SWEEP))) {
        return new ReportInput(Kind.PROBE, qualified);
      }
      if (fs.exists(new Path(path, METRICS))) {
        if (fs.isDirectory(new Path(path, "per_image"))) {
          return new ReportInput(Kind.EVALUATION, qualified);
        }
        if (readJson(fs, new Path(path, METRICS)).has("accuracy")) {
          return new ReportInput(Kind.PROBE, qualified);
        }
      }
      if (fs.exists(new Path(path, SUMMARY))) {
        String job = readJson(fs, new Path(path, SUMMARY)).path("job").asText();
        if (job.equals("depth")) {
          return new ReportInput(Kind.DEPTH, qualified);
        }
        if (job.equals("features")) {
          return new ReportInput(Kind.FEATURES, qualified);
        }
      }
      List<String> runs = new ArrayList<>();
      for (FileStatus child : fs.listStatus(path)) {
        if (child.isDirectory() && child.getPath().getName().startsWith(RunOutput.RUN_COLUMN + "=")) {
          runs.add(child.getPath().getName());
        }
      }
      if (runs.size() == 1) {
        return detect(new Path(path, runs.get(0)).toString(), hadoopConf);
      }
      if (runs.size() > 1) {
        runs.sort(null);
        throw new UserException("--run " + location + ": holds " + runs.size() + " runs " + runs
            + "; point --run at one of them, e.g. " + new Path(path, runs.get(runs.size() - 1)));
      }
      throw new UserException("--run " + location + ": not a depth or features run (_summary.json), an "
          + "evaluate-depth output (metrics.json and per_image) or a probe run (metrics.json or layer_sweep.json)");
    } catch (IOException e) {
      throw new UserException("--run " + location + ": cannot be read (" + oneLine(e) + ")");
    }
  }

  static JsonNode readJson(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return JSON.readTree(in);
    }
  }

  /** Reads {@code name} in this input's folder. */
  JsonNode json(String name, Configuration hadoopConf) throws IOException {
    Path file = new Path(path, name);
    return readJson(file.getFileSystem(hadoopConf), file);
  }

  boolean has(String name, Configuration hadoopConf) throws IOException {
    Path file = new Path(path, name);
    return file.getFileSystem(hadoopConf).exists(file);
  }

  private static String oneLine(Exception e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return msg.lines().findFirst().orElse(msg);
  }
}
