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
 * not filtered at all, and an unchanged size returns a copy.
 */
public final class PillowResize {
  /** 8 bits for the result, 2 for the overshoot of filters with negative lobes, sign bit. */
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private PillowResize() {}

  public static RgbImage resize(RgbImage in, int width, int height, ResampleFilter filter) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("resize target must be positive, got " + width + "x" + height);
    }
    RgbImage out = in;
    if (width != in.width()) {
      out = horizontal(out, width, Coefficients.of(in.width(), width, filter));
    }
    if (height != in.height()) {
      out = vertical(out, height, Coefficients.of(in.height(), height, filter));
    }
    return out == in ? new RgbImage(in.width(), in.height(), in.pixels().clone()) : out;
  }

  private static RgbImage horizontal(RgbImage in, int width, Coefficients c) {
    byte[] src = in.pixels();
    byte[] dst = new byte[in.height() * width * 3];
    int inRow = in.width() * 3;
    for (int y = 0; y < in.height(); y++) {
      for (int xx = 0; xx < width; xx++) {
        int first = c.first[xx];
        int k0 = xx * c.ksize;
        int r = 1 << (PRECISION_BITS - 1);
        int g = r;
        int b = r;
        for (int i = 0; i < c.count[xx]; i++) {
          int p = y * inRow + (first + i) * 3;
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
    return new RgbImage(width, in.height(), dst);
  }

  private static RgbImage vertical(RgbImage in, int height, Coefficients c) {
    byte[] src = in.pixels();
    int row = in.width() * 3;
    byte[] dst = new byte[height * row];
    for (int yy = 0; yy < height; yy++) {
      int first = c.first[yy];
      int k0 = yy * c.ksize;
      for (int x = 0; x < row; x++) {
        int s = 1 << (PRECISION_BITS - 1);
        for (int i = 0; i < c.count[yy]; i++) {
          s += (src[(first + i) * row + x] & 0xff) * c.fixed[k0 + i];
        }
        dst[yy * row + x] = clip8(s);
      }
    }
    return new RgbImage(in.width(), height, dst);
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
