package dev.depthprobe.image;

/**
 * An 8-bit RGB image as Pillow's {@code convert("RGB")} yields it: {@code pixels} holds
 * {@code height * width * 3} bytes, row-major, channels interleaved (HWC).
 */
public record RgbImage(int width, int height, byte[] pixels) {
  public RgbImage {
    if (width < 0 || height < 0 || pixels.length != (long) width * height * 3) {
      throw new IllegalArgumentException("RGB buffer of " + pixels.length + " bytes does not hold "
          + width + "x" + height + "x3");
    }
  }

  /** Channel {@code c} of the pixel at row {@code y}, column {@code x}, as 0..255. */
  public int get(int y, int x, int c) {
    return pixels[(y * width + x) * 3 + c] & 0xff;
  }
}
