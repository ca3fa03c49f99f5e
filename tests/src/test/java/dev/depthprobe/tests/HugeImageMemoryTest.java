package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.testing.PngBytes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 150-megapixel PNG of issue 11 (15000x10000, under the 178,956,970-pixel header limit, a few hundred KB on
 * disk) in JVMs of their own with a 3 GB heap: decoded as bytes and preprocessed band by band into native memory,
 * where the whole-image resize buffers used to run out of heap in {@code PillowResize.vertical}; and through
 * {@code predict-depth --max-model-pixels}, with the depth at the image's size.
 */
class HugeImageMemoryTest {
  private static final Logger LOG = LoggerFactory.getLogger(HugeImageMemoryTest.class);
  private static final Path MODEL = Path.of("../jobs/src/main/resources/sample-model/glpn-tiny");
  private static final int WIDTH = 15_000;
  private static final int HEIGHT = 10_000;

  @TempDir
  static Path dir;
  private static Path png;

  @BeforeAll
  static void writeImage() throws IOException {
    png = dir.resolve("huge.png");
    writePng(png);
    assertTrue(Files.size(png) < 1_000_000, Files.size(png) + " bytes");
  }

  @Test
  void aHundredAndFiftyMegapixelPngIsDecodedAndPreprocessedInAThreeGigabyteHeap() throws Exception {
    String output = ForkedJvm.run(dir, List.of("-Xmx3g"), PreprocessOneImage.class.getName(), MODEL.toString(),
        png.toString());

    // the processed size: each side down to a multiple of 32
    assertTrue(output.contains("pixel_values [1, 3, 9984, 14976] in [0.0"), output);
    LOG.info("15000x10000 PNG decoded and preprocessed with -Xmx3g: {}", lastLine(output));
  }

  @Test
  void predictDepthWithAModelPixelLimitWritesTheDepthAtTheImagesSize() throws Exception {
    Path depth = dir.resolve("huge.npy");
    String output = ForkedJvm.run(dir, List.of("-Xmx3g"), "dev.depthprobe.jobs.Main", "predict-depth",
        "--model", MODEL.toString(), "--image", png.toString(), "--out", depth.toString(),
        "--max-model-pixels", "1000000");

    // sqrt(1e6 / 1.5e8) scales the sides to 1224.7 x 816.5: 1216 x 800 in multiples of 32
    assertTrue(output.contains("the model saw 800x1216"), output);
    assertTrue(output.contains("(" + HEIGHT + "x" + WIDTH + " float32 metres"), output);
    // the .npy header, then the float32 values: read its size, not its 600 MB into this JVM
    assertEquals(4L * HEIGHT * WIDTH, Files.size(depth) - npyHeaderBytes(depth));
    LOG.info("15000x10000 PNG through predict-depth --max-model-pixels 1000000 with -Xmx3g: {}", lastLine(output));
  }

  @Test
  void aDepthJobWhoseHeapCannotHoldOneImageGivesThatImageAResourceRowAndGoesOn() throws Exception {
    // admission overridden: the 450 MB of decoded pixels and JavaCPP's limit of the 1 GB heap for the 1.8 GB of
    // pixel_values; one of them runs out, inside the image's own step
    String output = runDepthJob("oom", "--max-task-memory", "100g");

    assertTrue(output.contains("Wrote 2 rows (1 ok, 1 error)"), output);
    assertTrue(output.replaceAll("\\s", "").contains("\"error_kinds\":{\"resource\":1}"), output);
  }

  @Test
  void admissionRefusesFromTheHeaderAnImageTheTaskCannotHoldBeforeDecodingIt() throws Exception {
    String output = runDepthJob("admission");

    assertTrue(output.contains("Wrote 2 rows (1 ok, 1 error)"), output);
    assertTrue(output.replaceAll("\\s", "").contains("\"error_kinds\":{\"resource\":1}"), output);
    Path rows = dir.resolve("admission-output/run_id=r1");
    assertTrue(Files.exists(rows.resolve("_SUCCESS")), output);
    SparkSession spark = SparkSession.builder().master("local[1]").appName("HugeImageMemoryTest")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      Row huge = spark.read().parquet(rows.toString()).where("image_id = 'huge.png'").first();
      String error = huge.getAs("error");
      assertTrue(error.startsWith("resource: huge.png 15000x10000 needs about "), error);
      assertTrue(error.contains("--max-model-pixels"), error);
      assertNull(huge.getAs("width"), "refused before decoding");
    } finally {
      spark.stop();
    }
  }

  /** The depth job in a JVM of its own with a 1 GB heap over the huge PNG and a small one; its output. */
  private static String runDepthJob(String name, String... options) throws Exception {
    Path input = Files.createDirectories(dir.resolve(name + "-input"));
    Files.copy(png, input.resolve("huge.png"));
    Files.write(input.resolve("small.png"), smallPng());
    List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
    jvm.addAll(ForkedJvm.sparkOptions());
    List<String> arguments = new ArrayList<>(List.of("depth", "--model", MODEL.toString(),
        "--input", input.toString(), "--output", dir.resolve(name + "-output").toString(), "--run-id", "r1",
        "-Cspark.master=local[1]", "-Cspark.ui.enabled=false"));
    arguments.addAll(List.of(options));
    return ForkedJvm.run(dir, jvm, "dev.depthprobe.jobs.Main", arguments.toArray(String[]::new));
  }

  private static byte[] smallPng() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }

  /** The length of a .npy file's header: magic, version, a little-endian length, the header text. */
  private static long npyHeaderBytes(Path npy) throws IOException {
    try (var in = Files.newInputStream(npy)) {
      byte[] start = in.readNBytes(10);
      return 10 + ((start[8] & 0xff) | (start[9] & 0xff) << 8);
    }
  }

  private static String lastLine(String output) {
    List<String> lines = output.lines().toList();
    return lines.get(lines.size() - 1);
  }

  /**
   * An 8-bit RGB PNG written a row at a time: stripes with a period of 16 pixels, shifted every 500 rows; the rows
   * between are PNG's "Up" filter of zeros (the row above repeated), so the file is a few hundred kilobytes and no
   * whole image is ever in memory.
   */
  private static void writePng(Path file) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (OutputStream rows = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
      byte[] row = new byte[1 + WIDTH * 3]; // filter type 0 (None), then the samples
      byte[] sameAsAbove = new byte[1 + WIDTH * 3];
      sameAsAbove[0] = 2; // filter type 2 (Up): each sample is the one above plus 0
      for (int y = 0; y < HEIGHT; y++) {
        if (y % 500 == 0) {
          for (int x = 0; x < WIDTH; x++) {
            int phase = (x + y / 500) % 16;
            row[1 + x * 3] = (byte) (phase * 16);
            row[2 + x * 3] = (byte) (255 - phase * 8);
            row[3 + x * 3] = (byte) (y / 500 * 12);
          }
          rows.write(row);
        } else {
          rows.write(sameAsAbove);
        }
      }
    }
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      PngBytes.writeRgbHeader(out, WIDTH, HEIGHT);
      PngBytes.writeChunk(out, "IDAT", idat.toByteArray());
      PngBytes.writeChunk(out, "IEND", new byte[0]);
    }
  }
}
