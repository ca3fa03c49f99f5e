package dev.depthprobe.udfs.partition;

import dev.depthprobe.datasets.InputSchema;
import org.apache.spark.sql.Row;

/**
 * One input row of the input schema, read by column name: its id, source and image bytes, and the
 * row itself for the columns a job copies (e.g. {@code label}).
 */
public record InputImage(Row row, String imageId, String source, byte[] content) {
  static InputImage read(Row row) {
    return new InputImage(row, row.getAs(InputSchema.IMAGE_ID), row.getAs(InputSchema.SOURCE),
        row.getAs(InputSchema.CONTENT));
  }
}
