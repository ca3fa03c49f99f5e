package dev.depthprobe.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.testing.PngBytes;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Metadata bombs: PNG chunks whose compressed data inflates to more than a gigabyte from a file of about a megabyte.
 * The loader never inflates them: the image decodes at once, allocating a few times its own size.
 */
class BoundedDecodingTest {
  /** Zeros that a metadata chunk inflates to: over a gigabyte. */
  private static final long INFLATED = 1_100L << 20;
  /** What decoding a 64x48 image may allocate in all (the JDK's decoders, our copies): far below INFLATED. */
  private static final long ALLOCATION_BOUND = 64L << 20;
  private static byte[] zeros;

  @BeforeAll
  static void deflateZeros() {
    zeros = PngBytes.deflatedZeros(INFLATED);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"zTXt", "iTXt", "iCCP"})
  void aMetadataChunkThatInflatesPastAGigabyteIsNeverInflated(String type) {
    for (boolean palette : new boolean[] {false, true}) {
      byte[] plain = png(palette);
      byte[] bomb = PngBytes.withChunkAfterHeader(plain, type, bombData(type));
      assertTrue(bomb.length < 1_500_000 && bomb.length > 1_000_000, "bomb of " + bomb.length + " bytes");

      long before = allocatedBytes();
      long start = System.nanoTime();
      RgbImage image = new ImageLoader().load(bomb, type + ".png");
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      long allocated = allocatedBytes() - before;

      assertArrayEquals(new ImageLoader().load(plain, "plain.png").pixels(), image.pixels(), type);
      assertTrue(allocated < ALLOCATION_BOUND, type + ": decoding allocated " + allocated + " bytes");
      assertTrue(seconds < 5, type + ": decoding took " + seconds + " s");
    }
  }

  @Test
  void headerProbeReadsTheBombsSizeWithoutInflatingIt() {
    byte[] bomb = PngBytes.withChunkAfterHeader(png(false), "zTXt", bombData("zTXt"));

    long before = allocatedBytes();
    ImageHeader header = ImageLoader.probe(bomb, "bomb.png");

    assertTrue(allocatedBytes() - before < ALLOCATION_BOUND);
    assertEquals(new ImageHeader("png", 64, 48, 3, 8, 1), header);
  }

  @Test
  void pngExifChunkOrientationIsApplied() {
    byte[] plain = png(false);
    byte[] rotated = PngBytes.withChunkAfterHeader(plain, "eXIf", tiffWithOrientation(6, ByteOrder.BIG_ENDIAN));

    RgbImage upright = new ImageLoader().load(rotated, "rotated.png");

    assertEquals(48, upright.width());
    assertEquals(64, upright.height());
    assertArrayEquals(ExifOrientation.apply(new ImageLoader().load(plain, "plain.png"), 6).pixels(),
        upright.pixels());
    assertEquals(6, ImageLoader.probe(rotated, "rotated.png").orientation());
    assertEquals(48, ImageLoader.probe(rotated, "rotated.png").uprightWidth());
  }

  @Test
  void exifOrientationIsReadInEitherByteOrderAndBrokenExifIsIgnored() {
    assertEquals(8, ExifOrientation.orientation(tiffWithOrientation(8, ByteOrder.LITTLE_ENDIAN)));
    assertEquals(3, ExifOrientation.orientation(tiffWithOrientation(3, ByteOrder.BIG_ENDIAN)));
    byte[] cut = Arrays.copyOf(tiffWithOrientation(6, ByteOrder.LITTLE_ENDIAN), 12);
    byte[] png = PngBytes.withChunkAfterHeader(png(false), "eXIf", cut);

    assertEquals(1, ExifOrientation.read(png, "cut.png"));
  }

  @Test
  void aChunkWhoseLengthRunsPastTheFileIsATruncation() {
    byte[] plain = png(false);
    byte[] cut = Arrays.copyOf(plain, plain.length - 30);

    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> new ImageLoader().load(cut, "cut.png"));

    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void headerProbeOfAJpegGivesItsComponentsAndOrientation() {
    ImageHeader header = ImageLoader.probe(readResource("photos/derived/rocket_exif_orientation6.jpg"), "rocket");
    RgbImage image = new ImageLoader().load(readResource("photos/derived/rocket_exif_orientation6.jpg"), "rocket");

    assertEquals("jpeg", header.format());
    assertEquals(6, header.orientation());
    assertEquals(3, header.channels());
    assertEquals(8, header.bitDepth());
    assertEquals(image.width(), header.uprightWidth());
    assertEquals(image.height(), header.uprightHeight());
  }

  /** A 64x48 PNG, RGB or palette, with a pattern in it. */
  private static byte[] png(boolean palette) {
    BufferedImage image;
    if (palette) {
      byte[] levels = new byte[16];
      for (int i = 0; i < 16; i++) {
        levels[i] = (byte) (i * 17);
      }
      image = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_INDEXED,
          new IndexColorModel(4, 16, levels, levels.clone(), new byte[16]));
    } else {
      image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    }
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | (x ^ y) & 0xff);
      }
    }
    return PngEncoding.encode(image);
  }

  /** The chunk's data: keyword and compression fields as the PNG specification lays them out, then the zeros. */
  private static byte[] bombData(String type) {
    String fields = switch (type) {
      case "zTXt" -> "Comment\0\0";
      case "iTXt" -> "XML:com.adobe.xmp\0\1\0\0\0";
      default -> "ICC Profile\0\0";
    };
    byte[] head = fields.getBytes(StandardCharsets.ISO_8859_1);
    byte[] data = Arrays.copyOf(head, head.length + zeros.length);
    System.arraycopy(zeros, 0, data, head.length, zeros.length);
    return data;
  }

  /** A TIFF block whose IFD0 holds one entry: Orientation (0x0112), SHORT. */
  private static byte[] tiffWithOrientation(int orientation, ByteOrder order) {
    ByteBuffer tiff = ByteBuffer.allocate(26).order(order);
    tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    tiff.putShort((short) 42).putInt(8);
    tiff.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation)
        .putShort((short) 0);
    tiff.putInt(0);
    return tiff.array();
  }

  private static byte[] readResource(String path) {
    try {
      return Files.readAllBytes(FixtureImages.resource(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes this thread has allocated on the heap so far. */
  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }
}
