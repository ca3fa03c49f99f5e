package dev.depthprobe.datasets;

import org.apache.spark.sql.SparkSession;

/**
 * The rows Spark's vectorized Parquet reader decodes at a time, for tables whose cells are large (whole images,
 * whole depth maps). A task holds the row group it reads and, by default, a decoded batch of up to 4096 rows of
 * it: about twice the row group. A batch of {@link #ROWS} rows leaves the row group and a few cells more.
 * Measured here: over 400 images of 1 MB in one row group, the depth job in a 1 GB heap died of an
 * {@code OutOfMemoryError} with the default batch and wrote its rows with this one; evaluate-depth over 300
 * predictions at KITTI's size (row groups of 100 maps, 186 MB) likewise in a 2 GB heap.
 */
public final class ParquetReaderBatch {
  /** Rows decoded at a time. */
  public static final int ROWS = 32;
  /** Spark's setting of the batch. */
  public static final String KEY = "spark.sql.parquet.columnarReaderBatchSize";

  private ParquetReaderBatch() {}

  /** Sets the session's batch to {@link #ROWS}, unless the session was given its own value (e.g. with -C). */
  public static void useFewRows(SparkSession spark) {
    if (!spark.conf().contains(KEY)) {
      spark.conf().set(KEY, ROWS);
    }
  }
}
