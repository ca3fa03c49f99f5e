package dev.depthprobe.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.npy.Npy;
import dev.depthprobe.npy.NpyArray;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** predict-depth against the tiny GLPN's golden tensors from transformers 4.37.2 (fixtures/glpn-tiny). */
class PredictDepthCommandTest {
  static final Path FIXTURES = Path.of("../model-core/src/test/resources/fixtures");
  static final Path MODEL = FIXTURES.resolve("glpn-tiny/model");
  static final Path IMAGE = FIXTURES.resolve("images/odd_97x123.png");
  static final Path GOLDEN = FIXTURES.resolve("glpn-tiny/cases/odd_97x123");
  /** The fixture's recommended tolerance for predicted depth (metres). */
  static final float ATOL = 1e-4f;

  @TempDir
  Path tmp;

  @Test
  void depthAtTheOriginalSizeMatchesTransformers() throws Exception {
    Path out = tmp.resolve("depth.npy");
    Result r = run("--model", MODEL.toString(), "--image", IMAGE.toString(), "--out", out.toString());

    assertEquals(ExitCodes.OK, r.code(), r.err());
    NpyArray depth = Npy.read(out);
    assertEquals("<f4", depth.dtype());
    assertArrayEquals(new long[] {97, 123}, depth.shape());
    assertClose(golden("depth_original_size.npy"), depth.toFloatArray());
    assertTrue(r.out().contains("Wrote " + out + " (97x123 float32 metres, model; the model saw 96x96)"), r.out());
  }

  @Test
  void sizeModelGivesThePredictedDepthAndPixelValuesCanBeDumped() throws Exception {
    Path out = tmp.resolve("depth.npy");
    Path pixels = tmp.resolve("pixel_values.npy");
    Result r = run("--model", MODEL.toString(), "--image", IMAGE.toString(), "--out", out.toString(),
        "--size", "model", "--dump-pixel-values", pixels.toString(), "--threads", "1");

    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertArrayEquals(new long[] {96, 96}, Npy.read(out).shape());
    assertClose(golden("predicted_depth.npy"), Npy.read(out).toFloatArray());
    NpyArray pixelValues = Npy.read(pixels);
    assertArrayEquals(new long[] {1, 3, 96, 96}, pixelValues.shape());
    assertArrayEquals(golden("pixel_values.npy"), pixelValues.toFloatArray());
  }

  @Test
  void writesKittiAndColormapPngs() throws Exception {
    Path out = tmp.resolve("depth.npy");
    Path png16 = tmp.resolve("depth16.png");
    Path color = tmp.resolve("color.png");
    Result r = run("--model", MODEL.toString(), "--image", IMAGE.toString(), "--out", out.toString(),
        "--png16", png16.toString(), "--color", color.toString());

    assertEquals(ExitCodes.OK, r.code(), r.err());
    float[] depth = Npy.read(out).toFloatArray();
    Raster kitti = ImageIO.read(png16.toFile()).getRaster();
    assertEquals(123, kitti.getWidth());
    assertEquals(16, kitti.getSampleModel().getSampleSize(0));
    for (int i = 0; i < depth.length; i++) {
      assertEquals(Math.rint(depth[i] * 256.0), kitti.getSample(i % 123, i / 123, 0), "pixel " + i);
    }
    BufferedImage colormap = ImageIO.read(color.toFile());
    assertEquals(97, colormap.getHeight());
    assertEquals(3, colormap.getRaster().getNumBands());
  }

  @Test
  void anUnknownModelFolderIsAOneLineUsageError() {
    Result r = run("--model", tmp.resolve("nope").toString(), "--image", IMAGE.toString(),
        "--out", tmp.resolve("d.npy").toString());
    assertUsageError(r, "nope");
  }

  @Test
  void aModelOfAnotherTypeIsAOneLineUsageError() {
    Result r = run("--model", FIXTURES.resolve("imagegpt-tiny/model").toString(), "--image", IMAGE.toString(),
        "--out", tmp.resolve("d.npy").toString());
    assertUsageError(r, "model_type is 'imagegpt', expected 'glpn'");
  }

  @Test
  void anUnreadableImageIsAOneLineUsageError() throws Exception {
    Path text = Files.writeString(tmp.resolve("notes.jpg"), "not an image");
    assertUsageError(run("--model", MODEL.toString(), "--image", text.toString(), "--out",
        tmp.resolve("d.npy").toString()), "notes.jpg");
    assertUsageError(run("--model", MODEL.toString(), "--image", tmp.resolve("missing.png").toString(), "--out",
        tmp.resolve("d.npy").toString()), "missing.png");
  }

  @Test
  void aFileTooLargeToReadIsAOneLineUsageErrorNotAnOutOfMemoryError() throws Exception {
    Path huge = tmp.resolve("huge.jpg");
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(2_500_000_000L); // sparse
    }
    assertUsageError(run("--model", MODEL.toString(), "--image", huge.toString(), "--out",
        tmp.resolve("d.npy").toString()), "huge.jpg: file of 2500000000 bytes is over the limit of 1431655760");
  }

  @Test
  void anImageSmallerThanTheSizeDivisorIsAOneLineUsageError() throws Exception {
    Path tiny = tmp.resolve("tiny.png");
    ImageIO.write(new BufferedImage(20, 40, BufferedImage.TYPE_INT_RGB), "png", tiny.toFile());
    assertUsageError(run("--model", MODEL.toString(), "--image", tiny.toString(), "--out",
        tmp.resolve("d.npy").toString()), "size_divisor 32");
    assertFalse(Files.exists(tmp.resolve("d.npy")));
  }

  @Test
  void aTruncatedWeightsFileIsAOneLineUsageErrorNamingIt() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("broken-model"));
    for (String file : new String[] {"config.json", "preprocessor_config.json"}) {
      Files.copy(MODEL.resolve(file), model.resolve(file));
    }
    byte[] weights = Files.readAllBytes(MODEL.resolve("model.safetensors"));
    Files.write(model.resolve("model.safetensors"), Arrays.copyOf(weights, weights.length / 2));

    assertUsageError(run("--model", model.toString(), "--image", IMAGE.toString(), "--out",
        tmp.resolve("d.npy").toString()), "model.safetensors");
  }

  @Test
  void maxModelPixelsShrinksWhatTheModelSeesAndKeepsTheDepthAtTheImagesSize() throws Exception {
    Path out = tmp.resolve("depth.npy");
    Path pixels = tmp.resolve("pixel_values.npy");
    // 96x96 = 9216 processed pixels over 4096: sides scaled by sqrt(4096 / (97 * 123)) = 0.586 give 57x72, down to
    // 32x64; raising the height to 64 still fits
    Result r = run("--model", MODEL.toString(), "--image", IMAGE.toString(), "--out", out.toString(),
        "--max-model-pixels", "4096", "--dump-pixel-values", pixels.toString());

    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertArrayEquals(new long[] {97, 123}, Npy.read(out).shape());
    assertArrayEquals(new long[] {1, 3, 64, 64}, Npy.read(pixels).shape());
    assertTrue(r.out().contains("the model saw 64x64"), r.out());
  }

  @Test
  void maxModelPixelsAboveTheProcessedSizeChangesNothing() throws Exception {
    Path out = tmp.resolve("depth.npy");
    Result r = run("--model", MODEL.toString(), "--image", IMAGE.toString(), "--out", out.toString(),
        "--max-model-pixels", "9216");

    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertClose(golden("depth_original_size.npy"), Npy.read(out).toFloatArray());
  }

  @Test
  void maxModelPixelsBelowOneDivisorSquaredIsAUsageError() {
    assertUsageError(run("--model", MODEL.toString(), "--image", IMAGE.toString(), "--out",
        tmp.resolve("d.npy").toString(), "--max-model-pixels", "1000"), "--max-model-pixels");
    assertUsageError(run("--model", MODEL.toString(), "--image", IMAGE.toString(), "--out",
        tmp.resolve("d.npy").toString(), "--max-model-pixels", "0"), "--max-model-pixels");
  }

  @Test
  void maxModelPixelsBelowOneDivisorSquaredIsRefusedNamingTheMinimumBeforeTheWeightsAreRead() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("truncated-weights"));
    for (String file : new String[] {"config.json", "preprocessor_config.json"}) {
      Files.copy(MODEL.resolve(file), model.resolve(file));
    }
    Files.write(model.resolve("model.safetensors"), new byte[] {1, 2, 3});

    Result r = run("--model", model.toString(), "--image", IMAGE.toString(), "--out", tmp.resolve("d.npy").toString(),
        "--max-model-pixels", "1023");

    // the tiny GLPN's size_divisor is 32: no processed size has fewer than 32 x 32 pixels
    assertUsageError(r, "depthprobe: --max-model-pixels: the model pixel limit must be at least size_divisor squared "
        + "(1024), got 1023");
    assertFalse(Files.exists(tmp.resolve("d.npy")));
  }

  @Test
  void anImageOverThePixelLimitIsRefusedUndecodedInOneLine() {
    Result r = run("--model", MODEL.toString(), "--image", IMAGE.toString(), "--out", tmp.resolve("d.npy").toString(),
        "--max-image-pixels", "10000"); // the image is 123 x 97 = 11931 pixels

    assertUsageError(r, "odd_97x123.png");
    assertTrue(r.err().contains("11931"), r.err());
    assertFalse(Files.exists(tmp.resolve("d.npy")));
  }

  @Test
  void badArgumentsExitWithTwoAndPointAtHelp() {
    Result missingOut = run("--model", MODEL.toString(), "--image", IMAGE.toString());
    Result badSize = run("--model", MODEL.toString(), "--image", IMAGE.toString(), "--out",
        tmp.resolve("d.npy").toString(), "--size", "huge");

    for (Result r : List.of(missingOut, badSize)) {
      assertEquals(ExitCodes.USAGE, r.code(), r.err());
      assertTrue(r.err().contains("Try 'depthprobe predict-depth --help'"), r.err());
    }
    assertTrue(missingOut.err().contains("--out"), missingOut.err());
    assertTrue(badSize.err().contains("huge"), badSize.err());
  }

  private static void assertUsageError(Result r, String message) {
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains(message), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  private static void assertClose(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], ATOL, "element " + i);
    }
  }

  private static float[] golden(String file) throws Exception {
    return Npy.read(GOLDEN.resolve(file)).toFloatArray();
  }

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "predict-depth";
    System.arraycopy(args, 0, command, 1, args.length);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new Main().newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(command);
    return new Result(code, out.toString(), err.toString());
  }
}
