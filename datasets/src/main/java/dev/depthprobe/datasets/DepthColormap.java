package dev.depthprobe.datasets;

import java.util.Arrays;

/**
 * Renders a depth map with {@link Magma} for people to look at: near is bright, far is dark. The
 * scale runs from the 5th to the 95th percentile of the finite positive depths (NumPy's linear
 * interpolation), and depths outside it are clamped. Invalid pixels (0, negative or not finite)
 * are black.
 */
public final class DepthColormap {
  static final double LOW_PERCENTILE = 5;
  static final double HIGH_PERCENTILE = 95;

  /** The depths drawn brightest ({@code near} and closer) and darkest ({@code far} and beyond). */
  public record Scale(double near, double far) {}

  private DepthColormap() {}

  /** R,G,B bytes per pixel, in the order of {@code depth}, on {@code depth}'s own {@link #scaleOf scale}. */
  public static byte[] toRgb(float[] depth) {
    return toRgb(depth, scaleOf(depth));
  }

  /** R,G,B bytes per pixel on a given scale, so that two maps (a prediction, its ground truth) compare. */
  public static byte[] toRgb(float[] depth, Scale scale) {
    byte[] rgb = new byte[depth.length * 3];
    for (int i = 0; i < depth.length; i++) {
      if (isValid(depth[i])) {
        int color = Magma.rgb(colorIndex(depth[i], scale.near(), scale.far()));
        rgb[3 * i] = (byte) (color >> 16);
        rgb[3 * i + 1] = (byte) (color >> 8);
        rgb[3 * i + 2] = (byte) color;
      }
    }
    return rgb;
  }

  /** The 5th and 95th percentiles of the valid depths (0 and 0 when there are none). */
  public static Scale scaleOf(float[] depth) {
    float[] valid = validSorted(depth);
    return valid.length == 0 ? new Scale(0, 0)
        : new Scale(percentile(valid, LOW_PERCENTILE), percentile(valid, HIGH_PERCENTILE));
  }

  /** {@code near} and closer -> 255 (brightest), {@code far} and beyond -> 0; a flat scale -> the middle. */
  static int colorIndex(float depth, double near, double far) {
    if (far <= near) {
      return Magma.SIZE / 2;
    }
    double t = (far - depth) / (far - near);
    return (int) Math.round(Math.min(1, Math.max(0, t)) * (Magma.SIZE - 1));
  }

  /** NumPy's default ("linear") percentile of sorted values. */
  static double percentile(float[] sorted, double q) {
    double rank = q / 100 * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }

  private static float[] validSorted(float[] depth) {
    float[] valid = new float[depth.length];
    int n = 0;
    for (float d : depth) {
      if (isValid(d)) {
        valid[n++] = d;
      }
    }
    float[] sorted = Arrays.copyOf(valid, n);
    Arrays.sort(sorted);
    return sorted;
  }

  private static boolean isValid(float depth) {
    return depth > 0 && Float.isFinite(depth);
  }
}
