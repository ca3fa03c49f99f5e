package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Parquet input written with one large row group, as pyarrow writes a table by default: 400 images of about
 * 1 MB each in one 400 MB row group, through the depth job in a JVM of its own with a 1 GB heap. With Spark's
 * default reader batch of 4096 rows the task held the row group and all of it decoded again, and the job died of
 * an {@code OutOfMemoryError} (exit code 52); the reader's batch of a few images leaves room for the job.
 */
class ParquetRowGroupMemoryTest {
  private static final Path MODEL = Path.of("../jobs/src/main/resources/sample-model/glpn-tiny");
  private static final int IMAGES = 400;
  private static final int CELL_BYTES = 1_000_000;

  @Test
  void aTableOfOneLargeRowGroupRunsThroughTheDepthJobInAHeapOfLessThanTwiceTheRowGroup(@TempDir Path dir)
      throws Exception {
    Path table = dir.resolve("photos.parquet");
    writeOneRowGroup(table);
    List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
    jvm.addAll(ForkedJvm.sparkOptions());

    String output = ForkedJvm.run(dir, jvm, "dev.depthprobe.jobs.Main", "depth", "--model", MODEL.toString(),
        "--input", table.toString(), "--input-format", "parquet", "--image-column", "content", "--id-column", "id",
        "--output", dir.resolve("output").toString(), "--run-id", "r1",
        "-Cspark.master=local[1]", "-Cspark.ui.enabled=false");

    assertTrue(output.contains("Wrote " + IMAGES + " rows (" + IMAGES + " ok, 0 error)"), output);
  }

  /**
   * {@link #IMAGES} rows of (id, content) in one row group: each content a small JPEG followed by random bytes
   * (after its end-of-image marker, which decoders ignore), so that no two cells are alike and none compresses.
   */
  private static void writeOneRowGroup(Path table) throws IOException {
    byte[] jpeg = smallJpeg();
    StructType schema = new StructType().add("id", DataTypes.StringType).add("content", DataTypes.BinaryType);
    SparkSession spark = SparkSession.builder().master("local[1]").appName("ParquetRowGroupMemoryTest")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      MapFunction<Long, Row> photo = i -> {
        byte[] cell = Arrays.copyOf(jpeg, CELL_BYTES);
        byte[] tail = new byte[CELL_BYTES - jpeg.length];
        new Random(i).nextBytes(tail);
        System.arraycopy(tail, 0, cell, jpeg.length, tail.length);
        return RowFactory.create("photo-" + i, cell);
      };
      spark.range(IMAGES).coalesce(1).map(photo, Encoders.row(schema)).write()
          .option("compression", "uncompressed")
          .option("parquet.block.size", String.valueOf(2L * IMAGES * CELL_BYTES))
          .parquet(table.toString());
    } finally {
      spark.stop();
    }
  }

  private static byte[] smallJpeg() throws IOException {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 128);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }
}
