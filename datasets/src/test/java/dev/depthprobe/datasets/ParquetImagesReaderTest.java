package dev.depthprobe.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetImagesReaderTest {
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.start(ParquetImagesReaderTest.class);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void binaryColumnBecomesContentWithIdAndLabelAsStrings() {
    StructType schema = new StructType()
        .add("idx", DataTypes.LongType).add("img", DataTypes.BinaryType).add("cls", DataTypes.IntegerType);
    String table = write(schema, List.of(RowFactory.create(7L, new byte[] {1, 2, 3}, 4)));

    Row row = ParquetImagesReader.read(spark, table, "img", "idx", "cls").collectAsList().get(0);

    assertEquals("7", row.getAs("image_id"));
    assertArrayEquals(new byte[] {1, 2, 3}, row.getAs("content"));
    assertEquals("4", row.getAs("label"));
    assertTrue(row.<String>getAs("source").matches("file:.*\\.parquet#0"), row.<String>getAs("source"));
  }

  @Test
  void readingSetsTheSessionsParquetReaderBatchToAFewImagesUnlessTheSessionHasItsOwn() {
    StructType schema = new StructType().add("idx", DataTypes.LongType).add("img", DataTypes.BinaryType);
    String table = write(schema, List.of(RowFactory.create(1L, new byte[] {1})));
    try {
      spark.conf().unset(ParquetReaderBatch.KEY);
      ParquetImagesReader.read(spark, table, "img", "idx");
      assertEquals(String.valueOf(ParquetReaderBatch.ROWS),
          spark.conf().get(ParquetReaderBatch.KEY));

      spark.conf().set(ParquetReaderBatch.KEY, 1000);
      ParquetImagesReader.read(spark, table, "img", "idx");
      assertEquals("1000", spark.conf().get(ParquetReaderBatch.KEY));
    } finally {
      spark.conf().unset(ParquetReaderBatch.KEY);
    }
  }

  @Test
  void huggingFaceImageStructIsUnwrappedToItsBytes() {
    StructType image = new StructType().add("bytes", DataTypes.BinaryType).add("path", DataTypes.StringType);
    StructType schema = new StructType().add("name", DataTypes.StringType).add("image", image);
    String table = write(schema, List.of(RowFactory.create("cat.png", RowFactory.create(new byte[] {9}, "cat.png"))));

    Row row = ParquetImagesReader.read(spark, table, "image", "name").collectAsList().get(0);

    assertEquals("cat.png", row.getAs("image_id"));
    assertArrayEquals(new byte[] {9}, row.getAs("content"));
    InputSchema.validate(ParquetImagesReader.read(spark, table, "image", "name").schema());
  }

  @Test
  void imageColumnOfWrongTypeIsRejectedWithAOneLineMessage() {
    StructType schema = new StructType().add("id", DataTypes.StringType).add("img", DataTypes.StringType);
    String table = write(schema, List.of(RowFactory.create("a", "not bytes")));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParquetImagesReader.read(spark, table, "img", "id"));

    assertEquals(table + ": image column 'img' must be binary or struct<bytes: binary, ...> but is string",
        e.getMessage());
  }

  @Test
  void missingColumnIsNamedWithTheColumnsThatExist() {
    StructType schema = new StructType().add("id", DataTypes.StringType).add("img", DataTypes.BinaryType);
    String table = write(schema, List.of(RowFactory.create("a", new byte[] {1})));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParquetImagesReader.read(spark, table, "img", "id", "label"));

    assertEquals(table + ": label column 'label' not found; columns are id, img", e.getMessage());
  }

  @Test
  void floatIdColumnIsRejected() {
    StructType schema = new StructType().add("id", DataTypes.DoubleType).add("img", DataTypes.BinaryType);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParquetImagesReader.checkSchema(schema, "t", "img", "id", null));

    assertEquals("t: id column 'id' must be string or an integer type but is double", e.getMessage());
  }

  private String write(StructType schema, List<Row> rows) {
    String path = tmp.resolve("table").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path);
    return path;
  }
}
