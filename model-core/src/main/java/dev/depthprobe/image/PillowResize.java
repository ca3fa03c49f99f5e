package dev.depthprobe.image;

/**
 * Pillow 9.4's {@code Image.resize(size, resample)} for 8-bit RGB with the default
 * {@code box} and {@code reducing_gap=None}: a port of {@code ImagingResample} in
 * {@code libImaging/Resample.c}.
 *
 * <p>Each axis is a separable convolution whose support grows with the downscale factor
 * (antialiasing). Coefficients are computed in double, normalised to sum 1, then converted to
 * fixed point with {@value #PRECISION_BITS} fractional bits. The horizontal pass runs first and
 * its result is rounded to uint8 before the vertical pass; an axis whose size does not change is
 * not filtered at all, and an unchanged size returns a copy. The work runs in bands of output rows
 * ({@link #resizeInBands}), so the memory beside the source and the result is a few rows.
 */
public final class PillowResize {
  /** 8 bits for the result, 2 for the overshoot of filters with negative lobes, sign bit. */
  private static final int PRECISION_BITS = 32 - 8 - 2;
  /** Output rows per band of {@link #resizeInBands}. */
  static final int BAND_ROWS = 64;

  /** Receives a resized image one band of rows at a time, top to bottom. */
  @FunctionalInterface
  public interface BandSink {
    /** @param band holds rows {@code firstRow .. firstRow + rows - 1}, {@code width * 3} bytes each, from index 0 */
    void accept(int firstRow, int rows, byte[] band);
  }

  private PillowResize() {}

  public static RgbImage resize(RgbImage in, int width, int height, ResampleFilter filter) {
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(height, width), 3)];
    int row = width * 3;
    resizeInBands(in, width, height, filter,
        (firstRow, rows, band) -> System.arraycopy(band, 0, out, firstRow * row, rows * row));
    return new RgbImage(width, height, out);
  }

  /**
   * The result of {@link #resize}, bit for bit, handed to {@code sink} {@value #BAND_ROWS} rows at a time: beside
   * the source it holds one band and the horizontally filtered source rows that band needs, never a whole
   * intermediate image. Source rows at the edge of two bands are filtered for each.
   */
  public static void resizeInBands(RgbImage in, int width, int height, ResampleFilter filter, BandSink sink) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("resize target must be positive, got " + width + "x" + height);
    }
    Coefficients horizontal = width != in.width() ? Coefficients.of(in.width(), width, filter) : null;
    Coefficients vertical = height != in.height() ? Coefficients.of(in.height(), height, filter) : null;
    int row = width * 3;
    byte[] band = new byte[Math.min(BAND_ROWS, height) * row];
    byte[] filteredRows = new byte[0];
    for (int y0 = 0; y0 < height; y0 += BAND_ROWS) {
      int rows = Math.min(BAND_ROWS, height - y0);
      if (vertical == null) {
        if (horizontal == null) {
          System.arraycopy(in.pixels(), y0 * row, band, 0, rows * row);
        } else {
          horizontal(in, y0, rows, horizontal, width, band);
        }
      } else if (horizontal == null) {
        vertical(in.pixels(), 0, row, y0, rows, vertical, band);
      } else {
        // the source rows this band's vertical filter reads: the windows' bounds grow with the output row
        int first = vertical.first[y0];
        int end = vertical.first[y0 + rows - 1] + vertical.count[y0 + rows - 1];
        if (filteredRows.length < (end - first) * row) {
          filteredRows = new byte[(end - first) * row];
        }
        horizontal(in, first, end - first, horizontal, width, filteredRows);
        vertical(filteredRows, first, row, y0, rows, vertical, band);
      }
      sink.accept(y0, rows, band);
    }
  }

  /** Source rows {@code y0 .. y0 + rows - 1} filtered to {@code width} columns, into {@code dst} from index 0. */
  private static void horizontal(RgbImage in, int y0, int rows, Coefficients c, int width, byte[] dst) {
    byte[] src = in.pixels();
    int inRow = in.width() * 3;
    for (int y = 0; y < rows; y++) {
      for (int xx = 0; xx < width; xx++) {
        int first = c.first[xx];
        int k0 = xx * c.ksize;
        int r = 1 << (PRECISION_BITS - 1);
        int g = r;
        int b = r;
        for (int i = 0; i < c.count[xx]; i++) {
          int p = (y0 + y) * inRow + (first + i) * 3;
          int k = c.fixed[k0 + i];
          r += (src[p] & 0xff) * k;
          g += (src[p + 1] & 0xff) * k;
          b += (src[p + 2] & 0xff) * k;
        }
        int o = (y * width + xx) * 3;
        dst[o] = clip8(r);
        dst[o + 1] = clip8(g);
        dst[o + 2] = clip8(b);
      }
    }
  }

  /**
   * Output rows {@code yy0 .. yy0 + rows - 1} filtered vertically from {@code src}, whose row 0 is source row
   * {@code srcFirstRow}, into {@code dst} from index 0.
   */
  private static void vertical(byte[] src, int srcFirstRow, int row, int yy0, int rows, Coefficients c, byte[] dst) {
    for (int y = 0; y < rows; y++) {
      int yy = yy0 + y;
      int first = c.first[yy] - srcFirstRow;
      int k0 = yy * c.ksize;
      for (int x = 0; x < row; x++) {
        int s = 1 << (PRECISION_BITS - 1);
        for (int i = 0; i < c.count[yy]; i++) {
          s += (src[(first + i) * row + x] & 0xff) * c.fixed[k0 + i];
        }
        dst[y * row + x] = clip8(s);
      }
    }
  }

  /** Pillow's {@code clip8}: drop the fractional bits, clamp to 0..255. */
  private static byte clip8(int in) {
    int v = in >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  /** {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for one axis. */
  private static final class Coefficients {
    final int ksize;
    final int[] first;
    final int[] count;
    final int[] fixed;

    private Coefficients(int ksize, int outSize) {
      this.ksize = ksize;
      this.first = new int[outSize];
      this.count = new int[outSize];
      this.fixed = new int[outSize * ksize];
    }

    static Coefficients of(int inSize, int outSize, ResampleFilter filter) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = filter.support() * filterScale;
      Coefficients c = new Coefficients((int) Math.ceil(support) * 2 + 1, outSize);
      double[] k = new double[c.ksize];
      for (int xx = 0; xx < outSize; xx++) {
        double center = (xx + 0.5) * scale;
        double ss = 1.0 / filterScale;
        int xmin = Math.max((int) (center - support + 0.5), 0);
        int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
        double ww = 0.0;
        for (int x = 0; x < xmax; x++) {
          k[x] = filter.weight((x + xmin - center + 0.5) * ss);
          ww += k[x];
        }
        for (int x = 0; x < xmax; x++) {
          double w = ww != 0.0 ? k[x] / ww : k[x];
          c.fixed[xx * c.ksize + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS)
              : 0.5 + w * (1 << PRECISION_BITS));
        }
        c.first[xx] = xmin;
        c.count[xx] = xmax;
      }
      return c;
    }
  }
}
