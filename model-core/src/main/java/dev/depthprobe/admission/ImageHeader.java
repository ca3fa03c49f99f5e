package dev.depthprobe.admission;

/**
 * What an image's header says before any pixel is decoded: its size, its channels (1 gray, 2 gray + alpha, 3 RGB,
 * 4 RGBA or CMYK) and bits per sample (8 or 16). Decoders hold the raster in this form before the RGB conversion.
 */
public record ImageHeader(int width, int height, int channels, int bitDepth) {
  public ImageHeader {
    if (width < 1 || height < 1 || channels < 1 || channels > 4 || bitDepth < 1 || bitDepth > 16) {
      throw new IllegalArgumentException("image header " + width + "x" + height + ", " + channels + " channels, "
          + bitDepth + " bits is not an image");
    }
  }

  /** An 8-bit RGB image, as most photos are. */
  public static ImageHeader rgb(int width, int height) {
    return new ImageHeader(width, height, 3, 8);
  }

  public long pixels() {
    return (long) width * height;
  }

  /** Bytes of the decoder's raster: one sample per channel, one or two bytes each. */
  public long rasterBytes() {
    return pixels() * channels * ((bitDepth + 7) / 8);
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
