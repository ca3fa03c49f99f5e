package dev.depthprobe.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * JPEG files from the JDK's encoder, then changed byte by byte for tests that need one no encoder writes: a
 * progressive file of hundreds of scans (a scan bomb), or a frame header declaring another size. Shared with
 * other modules' tests through model-core's test jar.
 */
public final class JpegBytes {
  private JpegBytes() {}

  /** A noisy 8-bit RGB image (its entropy-coded data is full of stuffed 0xFF bytes). */
  public static BufferedImage noise(int width, int height, long seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    java.util.Random random = new java.util.Random(seed);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return image;
  }

  /** The image as a baseline (one scan) or progressive (libjpeg's script: 10 scans for colour) JPEG. */
  public static byte[] encode(BufferedImage image, boolean progressive) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    if (progressive) {
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * The file with its last scan (the SOS segment and its entropy-coded data) written {@code extra} more times
   * before the end marker: libjpeg decodes each again, a pass over the whole image.
   */
  public static byte[] withLastScanRepeated(byte[] jpeg, int extra) {
    int sos = lastIndexOf(jpeg, 0xda);
    int eoi = jpeg.length - 2;
    if (sos < 0 || (jpeg[eoi] & 0xff) != 0xff || (jpeg[eoi + 1] & 0xff) != 0xd9) {
      throw new IllegalArgumentException("not a JPEG ending in a scan and EOI");
    }
    byte[] scan = Arrays.copyOfRange(jpeg, sos, eoi);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, eoi);
    for (int i = 0; i < extra; i++) {
      out.write(scan, 0, scan.length);
    }
    out.write(jpeg, eoi, 2);
    return out.toByteArray();
  }

  /** The file with its frame header (SOF0 or SOF2) declaring {@code width x height}; the scans are unchanged. */
  public static byte[] withDeclaredSize(byte[] jpeg, int width, int height) {
    byte[] out = jpeg.clone();
    int sof = Math.max(indexOf(out, 0xc0), indexOf(out, 0xc2));
    // FF Cn, length (2), precision (1), height (2), width (2)
    out[sof + 5] = (byte) (height >> 8);
    out[sof + 6] = (byte) height;
    out[sof + 7] = (byte) (width >> 8);
    out[sof + 8] = (byte) width;
    return out;
  }

  /** The first marker FF {@code code} among the header segments (before any entropy-coded data), or -1. */
  private static int indexOf(byte[] jpeg, int code) {
    int i = 2;
    while (i + 3 < jpeg.length && (jpeg[i] & 0xff) == 0xff) {
      int marker = jpeg[i + 1] & 0xff;
      if (marker == code) {
        return i;
      }
      if (marker == 0xda) {
        return -1;
      }
      i += 2 + ((jpeg[i + 2] & 0xff) << 8 | (jpeg[i + 3] & 0xff));
    }
    return -1;
  }

  /** The last FF {@code code} in the file (a marker: entropy-coded data stuffs every FF with 00). */
  private static int lastIndexOf(byte[] jpeg, int code) {
    for (int i = jpeg.length - 2; i >= 0; i--) {
      if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == code) {
        return i;
      }
    }
    return -1;
  }
}
