package dev.depthprobe.jobs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Option;

/** {@code --limit} and {@code --partitions}: how many input images a job reads, over how many partitions. */
final class InputSlice {
  @Option(names = "--limit", paramLabel = "N")
  Integer limit;

  @Option(names = "--partitions", paramLabel = "N")
  Integer partitions;

  void validate() {
    if (limit != null && limit < 1) {
      throw new UserException("--limit must be at least 1, got " + limit);
    }
    if (partitions != null && partitions < 1) {
      throw new UserException("--partitions must be at least 1, got " + partitions);
    }
  }

  /** The images with --limit and --partitions applied. */
  Dataset<Row> apply(Dataset<Row> images) {
    Dataset<Row> limited = limit == null ? images : images.limit(limit);
    return partitions == null ? limited : limited.repartition(partitions);
  }

  /** The plan's note on --limit and --partitions, empty when neither is given. */
  String describe() {
    return (limit != null ? ", first " + limit : "") + (partitions != null ? ", " + partitions + " partitions" : "");
  }
}
