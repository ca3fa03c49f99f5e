package dev.depthprobe.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.testing.PngBytes;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ImageLoaderTest {
  /** The contract for JPEG: decoders (libjpeg-turbo in Pillow, the JDK's libjpeg here) may differ by a few levels. */
  private static final double JPEG_LEVELS = 2.0;
  private static final Path PHOTOS = FixtureImages.resource("photos");
  private static final JsonNode REFERENCE = FixtureImages.json(PHOTOS.resolve("pillow-reference.json"));
  private static final ImageLoader LOADER = new ImageLoader();

  static List<String> decodablePhotos() {
    return photos("ok");
  }

  static List<String> rejectedPhotos() {
    return photos("error");
  }

  private static List<String> photos(String status) {
    List<String> names = new ArrayList<>();
    REFERENCE.fieldNames().forEachRemaining(name -> {
      if (REFERENCE.get(name).path("status").asText().equals(status)) {
        names.add(name);
      }
    });
    return names;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodablePhotos")
  void photoDecodesAsPillowDoes(String photo) {
    JsonNode expected = REFERENCE.get(photo);

    RgbImage image = LOADER.load(PHOTOS.resolve(photo));

    assertEquals(expected.path("size_hw_rgb").get(0).asInt(), image.height(), "height after orientation");
    assertEquals(expected.path("size_hw_rgb").get(1).asInt(), image.width(), "width after orientation");
    double[] mean = meanRgb(image);
    for (int c = 0; c < 3; c++) {
      assertEquals(expected.path("mean_rgb").get(c).asDouble(), mean[c], JPEG_LEVELS, "mean of channel " + c);
    }
    double[][] grid = grayGrid(image);
    for (int by = 0; by < 4; by++) {
      for (int bx = 0; bx < 4; bx++) {
        assertEquals(expected.path("thumb_4x4_gray").get(by).get(bx).asDouble(), grid[by][bx], JPEG_LEVELS,
            "grey block (" + by + ", " + bx + ")");
      }
    }
    // stricter than the contract for JPEG: the JDK's libjpeg with libjpeg's colour tables gives
    // the same bytes as Pillow's libjpeg-turbo on every photo here
    assertEquals(expected.path("rgb_sha256").asText(), sha256(image.pixels()), "RGB bytes");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedPhotos")
  void photoPillowRejectsFailsWithAOneLineReason(String photo) {
    String pillowError = REFERENCE.get(photo).path("error").asText();
    Path file = PHOTOS.resolve(photo);

    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> LOADER.load(file));

    String message = e.getMessage();
    assertFalse(message.contains("\n"), message);
    assertTrue(message.startsWith(file.toString() + ": "), message);
    assertTrue(message.toLowerCase(Locale.ROOT).contains(expectedReason(pillowError, file)),
        message + " (Pillow: " + pillowError + ")");
  }

  /** Our wording of the reason Pillow gives. */
  private static String expectedReason(String pillowError, Path file) {
    if (pillowError.contains("truncated")) {
      return "truncated";
    }
    if (pillowError.contains("broken data stream")) {
      return "corrupt";
    }
    return file.toFile().length() == 0 ? "empty input" : "unrecognised image format";
  }

  @Test
  void declaredSizeAboveThePixelLimitIsRefusedBeforeDecoding() {
    // a PNG header declaring 100000 x 100000 pixels and no image data at all
    byte[] png = pngHeaderOnly(100_000, 100_000);

    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> LOADER.load(png, "bomb.png"));

    assertEquals("bomb.png: cannot decode image: too many pixels: 100000x100000 = 10000000000 exceeds the limit of "
        + ImageLoader.DEFAULT_MAX_PIXELS + " (possible decompression bomb)", e.getMessage());
  }

  @Test
  void customPixelLimitApplies() {
    Path hopper = PHOTOS.resolve("pillow_hopper.jpg");

    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> new ImageLoader(128 * 128 - 1).load(hopper));

    assertTrue(e.getMessage().contains("too many pixels: 128x128 = 16384"), e.getMessage());
    assertEquals(128, new ImageLoader(128 * 128).load(hopper).width());
  }

  @Test
  void alphaIsDroppedWithoutCompositing() {
    // rgba_64x64.png: the top-left quarter is fully transparent but keeps its colour
    RgbImage rgba = LOADER.load(FixtureImages.resource("fixtures/images/rgba_64x64.png"));
    RgbImage chelsea = LOADER.load(PHOTOS.resolve("skimage_chelsea.png"));
    RgbImage chelseaWithAlpha = LOADER.load(PHOTOS.resolve("derived/chelsea_rgba.png"));

    assertArrayEquals(chelsea.pixels(), chelseaWithAlpha.pixels());
    assertTrue(rgba.get(0, 0, 0) + rgba.get(0, 0, 1) + rgba.get(0, 0, 2) > 0, "transparent pixel keeps its colour");
  }

  @Test
  void sixteenBitGreyIsClippedAt255LikePillowsModeI() {
    RgbImage gray16 = LOADER.load(PHOTOS.resolve("derived/hopper_gray16.png"));

    int below255 = 0;
    for (int i = 0; i < gray16.pixels().length; i++) {
      below255 += (gray16.pixels()[i] & 0xff) < 255 ? 1 : 0;
    }
    // hopper_16bit is 8-bit x 257: only the pure-black pixels (value 0) stay below 255
    assertEquals(sha256(gray16.pixels()), REFERENCE.get("derived/hopper_gray16.png").path("rgb_sha256").asText());
    assertTrue(below255 < gray16.pixels().length / 100, below255 + " samples below 255");
  }

  @Test
  void pngCutShortIsReportedAsTruncated() throws IOException {
    byte[] png = Files.readAllBytes(PHOTOS.resolve("skimage_coffee.png"));
    byte[] cut = Arrays.copyOf(png, png.length * 6 / 10);

    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> LOADER.load(cut, "cut.png"));

    assertTrue(e.getMessage().startsWith("cut.png: cannot decode image: truncated image data ("), e.getMessage());
  }

  @Test
  void unsupportedFormatIsNamed() {
    byte[] tiffHeader = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0};

    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> LOADER.load(tiffHeader, "scan.tif"));

    assertTrue(e.getMessage().startsWith("scan.tif: cannot decode image: unsupported"), e.getMessage());
  }

  @Test
  void bmpAndPaletteGifDecodeToTheirPixels() throws IOException {
    // 6 rows: the JDK's GIF reader loses rows of interlaced GIFs under 5 rows high (see ImageLoader)
    byte[] r = {(byte) 255, 0, 10, (byte) 200};
    byte[] g = {0, (byte) 255, 20, (byte) 100};
    byte[] b = {0, 0, 30, 50};
    BufferedImage indexed = new BufferedImage(2, 6, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(2, 4, r, g, b));
    int[] indices = {0, 1, 2, 3, 3, 2, 1, 0, 0, 2, 3, 1};
    indexed.getRaster().setPixels(0, 0, 2, 6, indices);
    byte[] expected = new byte[indices.length * 3];
    for (int i = 0; i < indices.length; i++) {
      expected[i * 3] = r[indices[i]];
      expected[i * 3 + 1] = g[indices[i]];
      expected[i * 3 + 2] = b[indices[i]];
    }
    BufferedImage rgb = new BufferedImage(2, 6, BufferedImage.TYPE_3BYTE_BGR);
    rgb.createGraphics().drawImage(indexed, 0, 0, null);

    assertArrayEquals(expected, LOADER.load(encode(indexed, "gif"), "palette.gif").pixels());
    assertArrayEquals(expected, LOADER.load(encode(rgb, "bmp"), "rgb.bmp").pixels());
  }

  /** A lossless WebP made from a fixture PNG with libwebp's {@code cwebp -lossless -exact}: the same pixels. */
  @Test
  void losslessWebpDecodesToThePixelsOfItsPng() {
    RgbImage png = LOADER.load(FixtureImages.resource("fixtures/images/gradient_64x80.png"));

    RgbImage webp = LOADER.load(FixtureImages.resource("webp/gradient_64x80_lossless.webp"));

    assertEquals(png.width(), webp.width());
    assertEquals(png.height(), webp.height());
    assertArrayEquals(png.pixels(), webp.pixels());
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), "no " + format + " writer");
    return out.toByteArray();
  }

  private static byte[] pngHeaderOnly(int width, int height) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PngBytes.writeRgbHeader(new DataOutputStream(bytes), width, height);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static double[] meanRgb(RgbImage image) {
    double[] sum = new double[3];
    for (int i = 0; i < image.pixels().length; i++) {
      sum[i % 3] += image.pixels()[i] & 0xff;
    }
    double n = (double) image.width() * image.height();
    return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
  }

  /** Block means of (R + G + B) / 3 over a 4 x 4 grid with bounds i * size / 4, as the reference was made. */
  private static double[][] grayGrid(RgbImage image) {
    int w = image.width();
    int h = image.height();
    double[][] grid = new double[4][4];
    for (int by = 0; by < 4; by++) {
      for (int bx = 0; bx < 4; bx++) {
        double sum = 0;
        int n = 0;
        for (int y = by * h / 4; y < (by + 1) * h / 4; y++) {
          for (int x = bx * w / 4; x < (bx + 1) * w / 4; x++) {
            sum += (image.get(y, x, 0) + image.get(y, x, 1) + image.get(y, x, 2)) / 3.0;
            n++;
          }
        }
        grid[by][bx] = sum / n;
      }
    }
    return grid;
  }
}
