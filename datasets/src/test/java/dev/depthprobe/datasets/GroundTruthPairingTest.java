package dev.depthprobe.datasets;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.model.DepthMap;
import dev.depthprobe.npy.Npy;
import dev.depthprobe.testing.PngBytes;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthPairingTest {
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.start(GroundTruthPairingTest.class);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void sampleImageIsPairedWithTheGroundTruthOfTheSameStemAndOthersKeepTheirRows() throws Exception {
    Dataset<Row> inputs = ImageFilesReader.read(spark, TestFiles.resource("/sample").toString());
    String groundTruth = TestFiles.resource("/sample-ground-truth").toString();

    Dataset<Row> paired = GroundTruthPairing.withDepthGroundTruth(inputs, groundTruth);
    Map<String, String> gtById = new TreeMap<>();
    for (Row row : paired.collectAsList()) {
      gtById.put(row.getAs("image_id"), row.getAs("depth_gt_path"));
    }

    assertEquals(5, gtById.size());
    assertEquals("file:" + groundTruth + "/tum_rgbd_office.png", gtById.get("tum_rgbd_office.png"));
    assertNull(gtById.get("skimage_chelsea.png"));
    InputSchema.validate(paired.schema());
    DepthMap depth = DepthGroundTruthLoader.load(gtById.get("tum_rgbd_office.png"));
    assertEquals(480, depth.height());
    assertEquals(640, depth.width());
  }

  @Test
  void npyGroundTruthIsPairedAndLoadedInMetres() throws Exception {
    TestFiles.write(tmp.resolve("images/scene/frame.001.jpg"), new byte[] {1});
    Path npy = Files.createDirectories(tmp.resolve("gt/deep")).resolve("frame.001.npy");
    Npy.writeFloat(npy, new float[] {0f, 1.25f, 3.5f, 9.75f, 0f, 2f}, 2, 3);

    Row row = GroundTruthPairing.withDepthGroundTruth(
        ImageFilesReader.read(spark, tmp.resolve("images").toString()), tmp.resolve("gt").toString())
        .collectAsList().get(0);
    DepthMap depth = DepthGroundTruthLoader.load(row.<String>getAs("depth_gt_path"));

    assertEquals("scene/frame.001.jpg", row.getAs("image_id"));
    assertEquals(2, depth.height());
    assertEquals(3, depth.width());
    assertArrayEquals(new float[] {0f, 1.25f, 3.5f, 9.75f, 0f, 2f}, depth.metres());
    assertEquals(9.75f, depth.at(1, 0));
  }

  @Test
  void twoGroundTruthFilesWithOneStemAreRejected() throws Exception {
    TestFiles.write(tmp.resolve("images/a.png"), new byte[] {1});
    TestFiles.write(tmp.resolve("gt/a.png"), new byte[] {1});
    TestFiles.write(tmp.resolve("gt/other/a.npy"), new byte[] {1});

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GroundTruthPairing.withDepthGroundTruth(ImageFilesReader.read(spark, tmp.resolve("images").toString()),
            tmp.resolve("gt").toString()));

    assertTrue(e.getMessage().contains("ground-truth files share a stem, so pairing is ambiguous: a -> "), e.getMessage());
  }

  @Test
  void eightBitPngIsNotMistakenForKittiDepth() throws Exception {
    byte[] png = PngEncoder.encode(new byte[] {1, 2}, 2, 1, 1);

    Exception e = assertThrows(IOException.class, () -> DepthGroundTruthLoader.read(png, "d.png"));

    assertEquals("d.png: expected a 16-bit grayscale PNG (KITTI depth), got 1 band(s) of 8 bits", e.getMessage());
  }

  @Test
  void groundTruthBombsAreRefusedBeforeTheirPixelsAreRead() throws Exception {
    // a 16-bit grey PNG declaring 20000 x 10000 pixels in a few bytes: decoding would hold 400 MB, then 800 MB
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(png);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream header = new DataOutputStream(ihdr);
    header.writeInt(20_000);
    header.writeInt(10_000);
    header.write(new byte[] {16, 0, 0, 0, 0});
    PngBytes.writeChunk(out, "IHDR", ihdr.toByteArray());
    PngBytes.writeChunk(out, "IEND", new byte[0]);
    // and a .npy whose header declares 30000 x 30000 float32 (3.6 GB) over 8 bytes of data
    Path npy = tmp.resolve("bomb.npy");
    Npy.writeFloat(npy, new float[] {1f, 2f}, 1, 2);
    byte[] npyBytes = Files.readAllBytes(npy);
    // the same header length: 8 characters more of shape, 8 fewer of padding
    String small = new String(npyBytes, StandardCharsets.ISO_8859_1).replace("(1, 2)", "(30000, 30000)")
        .replaceFirst(" {8}\n", "\n");

    IOException pixels = assertThrows(IOException.class, () -> DepthGroundTruthLoader.read(png.toByteArray(), "d.png"));
    IOException values = assertThrows(IOException.class,
        () -> DepthGroundTruthLoader.read(small.getBytes(StandardCharsets.ISO_8859_1), "d.npy"));

    assertEquals("d.png: too many pixels: 20000x10000 exceeds the limit of 178956970 (possible decompression bomb)",
        pixels.getMessage());
    assertEquals("d.npy: npy shape [30000, 30000] needs 3600000000 bytes of data, the file holds 8", values.getMessage());
  }

  @Test
  void stemDropsOnlyTheLastExtension() {
    List<Row> rows = spark.sql("SELECT 'file:/a/b.c/frame.001.png' AS p, 'noext' AS q")
        .select(ImagePaths.stem(col("p")), ImagePaths.stem(col("q")))
        .collectAsList();
    assertEquals("frame.001", rows.get(0).getString(0));
    assertEquals("noext", rows.get(0).getString(1));
  }
}
