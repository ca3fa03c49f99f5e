package dev.depthprobe.datasets;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Lossless PNG encoding of raw pixel buffers through javax.imageio, without the temporary files
 * that {@code ImageIO.write} creates for streams by default.
 */
public final class PngEncoder {
  private PngEncoder() {}

  /**
   * Encodes 8-bit interleaved pixels, row-major: 1 channel is gray, 3 are R,G,B and 4 are
   * R,G,B,A (not premultiplied).
   */
  public static byte[] encode(byte[] pixels, int width, int height, int channels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(pixels.length / 2 + 1024);
    try {
      write(out, pixels, width, height, channels);
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding in memory failed", e);
    }
    return out.toByteArray();
  }

  static void write(OutputStream out, byte[] pixels, int width, int height, int channels) throws IOException {
    if (pixels.length != width * height * channels) {
      throw new IllegalArgumentException(pixels.length + " bytes do not hold " + width + "x" + height + "x" + channels);
    }
    int[] bandOffsets = new int[channels];
    for (int c = 0; c < channels; c++) {
      bandOffsets[c] = c;
    }
    WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(pixels, pixels.length),
        width, height, width * channels, channels, bandOffsets, null);
    write(out, new BufferedImage(colorModel(channels, DataBuffer.TYPE_BYTE), raster, false, null));
  }

  /** Encodes 16-bit gray samples (unsigned, in {@code short}s), row-major. */
  static void writeGray16(OutputStream out, short[] samples, int width, int height) throws IOException {
    if (samples.length != width * height) {
      throw new IllegalArgumentException(samples.length + " samples do not hold " + width + "x" + height);
    }
    WritableRaster raster = Raster.createInterleavedRaster(new DataBufferUShort(samples, samples.length),
        width, height, width, 1, new int[] {0}, null);
    write(out, new BufferedImage(colorModel(1, DataBuffer.TYPE_USHORT), raster, false, null));
  }

  private static ComponentColorModel colorModel(int channels, int dataType) {
    return switch (channels) {
      case 1 -> new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
          Transparency.OPAQUE, dataType);
      case 3 -> new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
          Transparency.OPAQUE, dataType);
      case 4 -> new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
          Transparency.TRANSLUCENT, dataType);
      default -> throw new IllegalArgumentException("cannot encode " + channels + " channels as PNG");
    };
  }

  private static void write(OutputStream out, BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(image);
    } finally {
      writer.dispose();
    }
  }
}
