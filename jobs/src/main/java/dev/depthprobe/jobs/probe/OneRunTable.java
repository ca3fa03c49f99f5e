package dev.depthprobe.jobs.probe;

import static org.apache.spark.sql.functions.col;

import dev.depthprobe.datasets.ParquetReaderBatch;
import dev.depthprobe.jobs.RunOutput;
import dev.depthprobe.jobs.UserException;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a job's Parquet output as the input of a later step (the probe, evaluate-depth): the output
 * folder when it holds one run, or one run's {@code run_id=...} folder, a few rows at a time
 * ({@link ParquetReaderBatch}: a depth run's rows hold whole depth maps). Driver-only.
 */
public final class OneRunTable {
  private OneRunTable() {}

  /** The table at {@code path}; {@code option} names it in one-line errors. */
  public static Dataset<Row> read(SparkSession spark, String path, String option) {
    Dataset<Row> rows;
    ParquetReaderBatch.useFewRows(spark);
    try {
      rows = spark.read().parquet(path);
    } catch (Exception e) {
      if (e instanceof AnalysisException) {
        throw new UserException(option + " " + path + ": cannot read a Parquet table there ("
            + e.getMessage().lines().findFirst().orElse("") + ")");
      }
      throw e;
    }
    if (List.of(rows.columns()).contains(RunOutput.RUN_COLUMN)) {
      List<String> runs = rows.select(col(RunOutput.RUN_COLUMN).cast("string")).distinct()
          .orderBy(RunOutput.RUN_COLUMN).as(Encoders.STRING()).collectAsList();
      if (runs.size() > 1) {
        throw new UserException(option + " " + path + ": holds " + runs.size() + " runs " + runs + "; point "
            + option + " at one of them, e.g. " + path + "/" + RunOutput.RUN_COLUMN + "=" + runs.get(runs.size() - 1));
      }
    }
    return rows;
  }
}
