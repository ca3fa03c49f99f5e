package dev.depthprobe.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.image.JpegScans;
import dev.depthprobe.image.PngChunks;
import dev.depthprobe.testing.JpegBytes;
import dev.depthprobe.testing.PngBytes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkImageSourceReaderTest {
  /** Red, green, blue on the first row; yellow, cyan, a gray on the second. */
  private static final int[] COLORS = {0xff0000, 0x00ff00, 0x0000ff, 0xffff00, 0x00ffff, 0x123456};
  private static SparkSession spark;

  @TempDir
  Path root;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.start(SparkImageSourceReaderTest.class);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void bgrPixelsOfTheImageSourceBecomeAnRgbPng() throws Exception {
    BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 3, 2, COLORS, 0, 3);
    Files.createDirectories(root.resolve("sub dir"));
    ImageIO.write(image, "png", root.resolve("sub dir/colors.png").toFile());

    Dataset<Row> rows = SparkImageSourceReader.read(spark, root.toString());
    Row row = rows.collectAsList().get(0);

    InputSchema.validate(rows.schema());
    // as the jobs' partition functions read them: by column name, in the stage that decodes
    assertEquals(List.of("sub dir/colors.png"),
        rows.map((MapFunction<Row, String>) r -> r.getAs("image_id"), Encoders.STRING()).collectAsList());
    assertEquals("sub dir/colors.png", row.getAs("image_id"));
    assertEquals("file:" + root.resolve("sub dir/colors.png"), row.getAs("source"));
    assertArrayEquals(COLORS, TestFiles.rgb(row.getAs("content")));
  }

  @Test
  void undecodableFileKeepsItsRowWithEmptyContent() throws Exception {
    TestFiles.write(root.resolve("broken.png"), "not a png".getBytes());
    TestFiles.write(root.resolve("notes.txt"), "not an image either".getBytes());
    BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {7, 200});
    ImageIO.write(gray, "png", root.resolve("gray.png").toFile());

    Map<String, byte[]> content = new TreeMap<>();
    for (Row row : SparkImageSourceReader.read(spark, root.toString()).collectAsList()) {
      content.put(row.getAs("image_id"), row.getAs("content"));
    }

    assertEquals(List.of("broken.png", "gray.png"), List.copyOf(content.keySet()));
    assertEquals(0, content.get("broken.png").length);
    BufferedImage grayPng = TestFiles.decode(content.get("gray.png"));
    assertEquals(1, grayPng.getRaster().getNumBands());
    assertArrayEquals(new int[] {7, 200}, grayPng.getRaster().getSamples(0, 0, 2, 1, 0, (int[]) null));
  }

  @Test
  void bgraSwapsBlueAndRedAndKeepsAlpha() {
    byte[] bgra = {1, 2, 3, 4, 5, 6, 7, 8};
    assertArrayEquals(new byte[] {3, 2, 1, 4, 7, 6, 5, 8}, SparkImageSourceReader.bgrToRgb(bgra, 4));
  }

  @Test
  void anImageOverThePixelLimitIsNotDecodedAndKeepsItsBytesForTheLoaderToRefuse() throws Exception {
    BufferedImage large = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
    ImageIO.write(large, "png", root.resolve("large.png").toFile());
    BufferedImage small = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    small.setRGB(0, 0, 3, 2, COLORS, 0, 3);
    ImageIO.write(small, "png", root.resolve("small.png").toFile());
    TestFiles.write(root.resolve("empty.png"), new byte[0]);

    Map<String, byte[]> content = new TreeMap<>();
    for (Row row : SparkImageSourceReader.read(spark, root.toString(), 599).collectAsList()) {
      content.put(row.getAs("image_id"), row.getAs("content"));
    }

    assertEquals(List.of("empty.png", "large.png", "small.png"), List.copyOf(content.keySet()));
    assertEquals(0, content.get("empty.png").length);
    assertArrayEquals(Files.readAllBytes(root.resolve("large.png")), content.get("large.png"));
    assertArrayEquals(COLORS, TestFiles.rgb(content.get("small.png")));
  }

  @Test
  void aFileOverTheFileLimitKeepsItsRowWithoutContentAndSaysWhy() throws Exception {
    BufferedImage small = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    small.setRGB(0, 0, 3, 2, COLORS, 0, 3);
    ImageIO.write(small, "png", root.resolve("small.png").toFile());
    // 100 pixels at most: files over 800 bytes are not read
    TestFiles.write(root.resolve("large.png"), new byte[801]);

    Map<String, Row> byId = new TreeMap<>();
    for (Row row : SparkImageSourceReader.read(spark, root.toString(), 100).collectAsList()) {
      byId.put(row.getAs("image_id"), row);
    }

    assertNull(byId.get("large.png").getAs("content"));
    assertEquals("file of 801 bytes is over the limit of 800 (8 bytes a pixel of the pixel limit); not read",
        byId.get("large.png").getAs(InputSchema.READ_ERROR));
    assertArrayEquals(COLORS, TestFiles.rgb(byId.get("small.png").getAs("content")));
    assertNull(byId.get("small.png").getAs(InputSchema.READ_ERROR));
  }

  @Test
  void aJpegOfMoreScansThanTheLimitIsNotDecodedAndKeepsItsBytesForTheLoaderToRefuse() {
    byte[] progressive = JpegBytes.encode(new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR), true);
    // 12000x12000 declared: the image source would pass over 144 megapixels once per scan
    byte[] bomb = JpegBytes.withDeclaredSize(JpegBytes.withLastScanRepeated(progressive, JpegScans.MAX_SCANS), 12_000,
        12_000);

    assertArrayEquals(bomb, SparkImageSourceReader.content(bomb, "bomb.jpg", Long.MAX_VALUE));
    byte[] decoded = SparkImageSourceReader.content(progressive, "progressive.jpg", Long.MAX_VALUE);
    assertTrue(PngChunks.isPng(decoded), "a progressive JPEG of libjpeg's 10 scans decodes");
  }

  @Test
  void aPngWhoseTextChunkInflatesToHundredsOfMegabytesDecodesWithoutInflatingIt() throws Exception {
    BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 3, 2, COLORS, 0, 3);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    byte[] bomb = withZtxtAfterHeader(png.toByteArray(), 256L << 20);

    long before = allocatedBytes();
    byte[] content = SparkImageSourceReader.content(bomb, "bomb.png", Long.MAX_VALUE);
    long allocated = allocatedBytes() - before;

    assertArrayEquals(COLORS, TestFiles.rgb(content));
    assertTrue(allocated < 32L << 20, "decoding allocated " + allocated + " bytes");
  }

  /** {@code png} with a zTXt chunk after IHDR whose text is {@code zeros} zero bytes, deflated. */
  private static byte[] withZtxtAfterHeader(byte[] png, long zeros) throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.write("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1));
    data.write(PngBytes.deflatedZeros(zeros));
    return PngBytes.withChunkAfterHeader(png, "zTXt", data.toByteArray());
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }
}
