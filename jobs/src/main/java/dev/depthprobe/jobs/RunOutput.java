package dev.depthprobe.jobs;

import dev.depthprobe.errors.Messages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * A job's Parquet output, partitioned by {@value #RUN_COLUMN}. Written with dynamic partition
 * overwrite, so a rerun with the same run id replaces only its own partition and a new run id adds
 * one; Spark's commit protocol discards the files of failed task attempts. That protocol writes no
 * {@code _SUCCESS} in dynamic mode, so a job ends with {@link #markSuccess} once everything of its run is
 * written (its rows, then its summary). A job with several outputs per run (the probe) writes them into the
 * run's folder instead, after {@link #deleteRun}.
 */
public final class RunOutput {
  public static final String RUN_COLUMN = "run_id";
  public static final String SUCCESS = "_SUCCESS";
  /**
   * Without it Spark sorts every task's rows by {@value #RUN_COLUMN} before the first is written, holding (or
   * spilling) all of a task's depth maps; every row has the same run id, so one writer per task needs no sort.
   */
  static final String CONCURRENT_WRITERS = "spark.sql.maxConcurrentOutputFileWriters";
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final String output;
  private final String runId;

  /** The run {@code runId} of {@code output}, or without one today's ({@code --run-id}'s default). */
  static RunOutput of(String output, String runId) {
    return new RunOutput(output, runId == null ? LocalDate.now().toString() : runId);
  }

  public RunOutput(String output, String runId) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new UserException("--run-id '" + runId + "': use letters, digits, '.', '_' and '-' only");
    }
    this.output = output;
    this.runId = runId;
  }

  public String output() {
    return output;
  }

  public String runId() {
    return runId;
  }

  /** The folder holding this run's rows: {@code <output>/run_id=<id>}. */
  public String runPath() {
    return new Path(output, RUN_COLUMN + "=" + runId).toString();
  }

  /** The same run with the output as a full URI ({@code depthprobe-output -> file:/home/me/depthprobe-output}). */
  public RunOutput qualified(Configuration hadoopConf) {
    Path path = new Path(output);
    try {
      return new RunOutput(path.getFileSystem(hadoopConf).makeQualified(path).toString(), runId);
    } catch (IOException e) {
      throw new UserException("--output " + output + ": " + Messages.oneLine(e));
    }
  }

  /** Fails with a one-line {@link UserException} when the output cannot be a folder of runs. */
  public void checkWritable(Configuration hadoopConf) {
    Path path = new Path(output);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      if (fs.exists(path)) {
        FileStatus status = fs.getFileStatus(path);
        if (!status.isDirectory()) {
          throw new UserException("--output " + output + ": exists and is not a directory");
        }
      }
    } catch (IOException e) {
      throw new UserException("--output " + output + ": cannot be checked (" + Messages.oneLine(e) + ")");
    }
  }

  /**
   * Writes {@code rows} as this run's partition, replacing an earlier write of the same run id (its
   * {@value #SUCCESS} and summary too); {@link #markSuccess} comes when the run's other files are written. The
   * rows go to the file as each task makes them, unsorted, unless the session sets {@value #CONCURRENT_WRITERS}.
   */
  public void write(Dataset<Row> rows) {
    RuntimeConfig conf = rows.sparkSession().conf();
    if (!conf.contains(CONCURRENT_WRITERS)) {
      conf.set(CONCURRENT_WRITERS, 1);
    }
    rows.withColumn(RUN_COLUMN, functions.lit(runId))
        .write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(RUN_COLUMN)
        .parquet(output);
  }

  /**
   * Replaces this run's partition with an empty one (no rows, the rows' {@code schema}): what a run that read
   * no rows leaves, where the dynamic overwrite of {@link #write} writes nothing and would keep an earlier
   * run's files of the same run id.
   */
  public void writeEmpty(SparkSession spark, StructType schema, Configuration hadoopConf) {
    deleteRun(hadoopConf);
    spark.createDataFrame(List.of(), schema).coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(runPath());
    Path success = new Path(runPath(), SUCCESS);
    try {
      success.getFileSystem(hadoopConf).delete(success, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + success, e);
    }
  }

  /** Marks this run's folder complete with an empty {@value #SUCCESS}: the last file a job writes. */
  public void markSuccess(Configuration hadoopConf) {
    Path success = new Path(runPath(), SUCCESS);
    try {
      success.getFileSystem(hadoopConf).create(success, true).close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + success, e);
    }
  }

  /** Deletes this run's folder, if any: what an earlier attempt of the run left, {@value #SUCCESS} first. */
  public void deleteRun(Configuration hadoopConf) {
    Path run = new Path(runPath());
    try {
      FileSystem fs = run.getFileSystem(hadoopConf);
      fs.delete(new Path(run, SUCCESS), false);
      fs.delete(run, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + run, e);
    }
  }
}
