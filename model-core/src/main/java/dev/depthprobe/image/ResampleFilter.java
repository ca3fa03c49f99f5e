package dev.depthprobe.image;

/**
 * The Pillow resampling filters that {@link PillowResize} implements, with the integer codes that
 * {@code preprocessor_config.json} stores in {@code resample} ({@code PIL.Image.Resampling}).
 */
public enum ResampleFilter {
  /** Triangle filter, support 1 ({@code Resampling.BILINEAR = 2}). */
  BILINEAR(2, 1.0),
  /** Keys cubic convolution with a = -0.5, support 2 ({@code Resampling.BICUBIC = 3}). */
  BICUBIC(3, 2.0);

  private final int pillowCode;
  private final double support;

  ResampleFilter(int pillowCode, double support) {
    this.pillowCode = pillowCode;
    this.support = support;
  }

  /** The filter for a {@code resample} code; NEAREST (0), LANCZOS (1), BOX (4), HAMMING (5) are refused. */
  public static ResampleFilter fromPillowCode(int code) {
    for (ResampleFilter f : values()) {
      if (f.pillowCode == code) {
        return f;
      }
    }
    throw new IllegalArgumentException("resample " + code
        + " is not supported; use 2 (BILINEAR) or 3 (BICUBIC)");
  }

  public int pillowCode() {
    return pillowCode;
  }

  /** Half-width of the filter at scale 1, in input pixels. */
  double support() {
    return support;
  }

  /** The filter kernel, as Pillow's {@code bilinear_filter} / {@code bicubic_filter} (double precision). */
  double weight(double x) {
    double ax = Math.abs(x);
    return switch (this) {
      case BILINEAR -> ax < 1.0 ? 1.0 - ax : 0.0;
      case BICUBIC -> bicubic(ax);
    };
  }

  private static double bicubic(double x) {
    final double a = -0.5;
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }
}
