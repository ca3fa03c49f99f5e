package dev.depthprobe.udfs.partition;

import dev.depthprobe.datasets.InputSchema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * One input row of the input schema, read by column name: its id, source and image bytes, why a reader left
 * the bytes out ({@code readError}, else null), and the row itself for the columns a job copies (e.g.
 * {@code label}).
 */
public record InputImage(Row row, String imageId, String source, byte[] content, String readError) {
  static InputImage read(Row row) {
    StructType schema = row.schema();
    String readError = schema != null && schema.getFieldIndex(InputSchema.READ_ERROR).isDefined()
        ? row.getAs(InputSchema.READ_ERROR) : null;
    return new InputImage(row, row.getAs(InputSchema.IMAGE_ID), row.getAs(InputSchema.SOURCE),
        row.getAs(InputSchema.CONTENT), readError);
  }
}
