package dev.depthprobe.image;

/**
 * KITTI's "KB crop" (Kuznietsov et al.; BTS and GLPDepth {@code do_kb_crop}): the bottom 352 rows and
 * the middle 1216 columns of an image or depth map, {@code top = height - 352}, {@code left = (width -
 * 1216) / 2} rounded down. The depth job crops its input with it and evaluate-depth the ground truth,
 * so both sides cut the same rectangle.
 */
public final class KbCrop {
  public static final int HEIGHT = 352;
  public static final int WIDTH = 1216;
  /** The boolean column of the depth output that says the input was KB-cropped before the model. */
  public static final String COLUMN = "kb_crop";

  private KbCrop() {}

  /** The first row kept in an image of {@code height} rows. */
  public static int top(int height) {
    return height - HEIGHT;
  }

  /** The first column kept in an image of {@code width} columns. */
  public static int left(int width) {
    return (width - WIDTH) / 2;
  }

  /** @throws IllegalArgumentException (one line) when a {@code height x width} image is smaller than 352x1216 */
  public static void check(int height, int width) {
    if (height < HEIGHT || width < WIDTH) {
      throw new IllegalArgumentException("the KB crop needs at least " + HEIGHT + "x" + WIDTH + " (height x width), "
          + "got " + height + "x" + width);
    }
  }

  /** The 352x1216 crop of {@code image}. */
  public static RgbImage apply(RgbImage image) {
    check(image.height(), image.width());
    int top = top(image.height());
    int left = left(image.width());
    byte[] out = new byte[HEIGHT * WIDTH * 3];
    for (int y = 0; y < HEIGHT; y++) {
      System.arraycopy(image.pixels(), ((top + y) * image.width() + left) * 3, out, y * WIDTH * 3, WIDTH * 3);
    }
    return new RgbImage(WIDTH, HEIGHT, out);
  }

  /** The 352x1216 crop of a row-major {@code height x width} map (a depth map in metres). */
  public static float[] apply(float[] values, int height, int width) {
    if (values.length != (long) height * width) {
      throw new IllegalArgumentException(values.length + " values do not hold " + height + "x" + width);
    }
    check(height, width);
    int top = top(height);
    int left = left(width);
    float[] out = new float[HEIGHT * WIDTH];
    for (int y = 0; y < HEIGHT; y++) {
      System.arraycopy(values, (top + y) * width + left, out, y * WIDTH, WIDTH);
    }
    return out;
  }
}
