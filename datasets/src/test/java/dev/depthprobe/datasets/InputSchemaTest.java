package dev.depthprobe.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class InputSchemaTest {
  @Test
  void readerSchemasAreValid() {
    InputSchema.validate(CifarReader.SCHEMA);
    InputSchema.validate(new StructType().add("image_id", DataTypes.StringType).add("source", DataTypes.StringType)
        .add("content", DataTypes.BinaryType).add("depth_gt_path", DataTypes.StringType));
  }

  @Test
  void missingContentIsNamed() {
    StructType schema = new StructType().add("image_id", DataTypes.StringType).add("source", DataTypes.StringType);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputSchema.validate(schema));

    assertEquals("Input column 'content' is missing; the input has image_id, source", e.getMessage());
  }

  @Test
  void labelOfWrongTypeIsRejected() {
    StructType schema = new StructType().add("image_id", DataTypes.StringType).add("source", DataTypes.StringType)
        .add("content", DataTypes.BinaryType).add("label", DataTypes.IntegerType);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputSchema.validate(schema));

    assertEquals("Input column 'label' must be string but is int", e.getMessage());
  }
}
