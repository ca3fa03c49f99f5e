package dev.depthprobe.jobs.probe;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Splits rows in two, stratified by {@code label}: of each label's {@code n} rows, {@code round(n *
 * fraction)} go to the held-out part. Rows are ranked by a hash of {@code image_id} and the seed, so
 * the split depends on neither partitioning nor row order. Both parts have as many partitions as the
 * input.
 */
public final class StratifiedSplit {
  private static final String RANK = "_split_rank";
  private static final String LABEL_ROWS = "_split_label_rows";

  private StratifiedSplit() {}

  /** The rows that stay ({@code kept}) and the held-out ones. */
  public record Parts(Dataset<Row> kept, Dataset<Row> heldOut) {}

  public static Parts split(Dataset<Row> rows, double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("split fraction must be in (0, 1), got " + fraction);
    }
    WindowSpec byLabel = Window.partitionBy("label");
    Column hash = xxhash64(col("image_id"), lit(seed));
    Dataset<Row> ranked = rows
        .withColumn(RANK, row_number().over(byLabel.orderBy(hash, col("image_id"))))
        .withColumn(LABEL_ROWS, count(lit(1)).over(byLabel));
    Column heldOut = col(RANK).leq(round(col(LABEL_ROWS).multiply(fraction)));
    // the window shuffles into spark.sql.shuffle.partitions (200 by default); each iteration of the
    // regression would then run that many tasks, so the parts keep the input's partition count
    int partitions = rows.rdd().getNumPartitions();
    return new Parts(ranked.where(not(heldOut)).drop(RANK, LABEL_ROWS).coalesce(partitions),
        ranked.where(heldOut).drop(RANK, LABEL_ROWS).coalesce(partitions));
  }
}
