package dev.depthprobe.image;

import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;

/**
 * What an image's header declares, read by {@link ImageLoader#probe} before any pixel data is decoded.
 *
 * @param format the decoder's format name, lower case ({@code png}, {@code jpeg}, ...)
 * @param width stored width, before the EXIF orientation is applied
 * @param height stored height
 * @param channels samples per pixel as stored (a palette index counts as one)
 * @param bitDepth bits per sample
 * @param orientation the EXIF orientation (1 when there is none); 5 to 8 swap width and height
 * @param decoderBufferBytes what the decoder holds outside the Java heap while it decodes: a JPEG of several scans'
 *     coefficients ({@link JpegScans}), else 0
 */
public record ImageHeader(String format, int width, int height, int channels, int bitDepth, int orientation,
    long decoderBufferBytes) {

  /** A header whose decoder streams (nothing held outside the Java heap). */
  public ImageHeader(String format, int width, int height, int channels, int bitDepth, int orientation) {
    this(format, width, height, channels, bitDepth, orientation, 0);
  }

  /** An 8-bit RGB image of this size, upright, as most photos are: for estimates made without a file. */
  public static ImageHeader rgb(int width, int height) {
    return new ImageHeader("rgb", width, height, 3, 8, 1);
  }

  /** Bytes of the decoder's raster: one sample per channel, one or two bytes each. */
  public long rasterBytes() {
    return pixels() * channels * ((bitDepth + 7) / 8);
  }

  /** Width * height as declared: what the pixel limit compares. */
  public long pixels() {
    return (long) width * height;
  }

  /** The width of the decoded image, after the EXIF orientation. */
  public int uprightWidth() {
    return swapsSides() ? height : width;
  }

  /** The height of the decoded image, after the EXIF orientation. */
  public int uprightHeight() {
    return swapsSides() ? width : height;
  }

  private boolean swapsSides() {
    return orientation >= 5 && orientation <= 8;
  }

  /** @param reader a reader whose input is set; {@code pixelBytes} are that input */
  static ImageHeader of(ImageReader reader, byte[] pixelBytes, int orientation) throws IOException {
    String format = reader.getFormatName().toLowerCase(Locale.ROOT);
    int width = reader.getWidth(0);
    int height = reader.getHeight(0);
    if (PngChunks.isPng(pixelBytes) && pixelBytes.length > 25) {
      // IHDR, fixed at bytes 16..28: bit depth, colour type
      int channels = switch (pixelBytes[25]) {
        case 2 -> 3;
        case 4 -> 2;
        case 6 -> 4;
        default -> 1; // grey, palette index
      };
      return new ImageHeader(format, width, height, channels, pixelBytes[24], orientation);
    }
    ImageTypeSpecifier raw = reader.getRawImageType(0);
    long decoderBuffer = JpegScans.of(pixelBytes).coefficientBufferBytes();
    return raw == null
        ? new ImageHeader(format, width, height, 3, 8, orientation, decoderBuffer)
        : new ImageHeader(format, width, height, raw.getNumBands(), raw.getBitsPerBand(0), orientation, decoderBuffer);
  }
}
