package dev.depthprobe.glpn;

/**
 * The post-processing transformers documents for GLPN: {@code torch.nn.functional.interpolate(depth,
 * size=original, mode="bicubic", align_corners=False)}, ported from PyTorch's CPU kernel (cubic
 * convolution with a = -0.75, taps clamped at the borders, no antialiasing). Source positions are
 * float32 as in PyTorch and the weights are stored as float32; the weight polynomials and the 16-term
 * sums are evaluated in double, which lands closer to PyTorch's (FMA-compiled) float32 results than
 * plain float32 arithmetic: within 1e-6 of the depth range. ND4J's bicubic resize differs by about 2e-3.
 */
public final class DepthPostProcessing {
  private static final double A = -0.75;

  private DepthPostProcessing() {}

  /** {@code depth} (h, w) row-major -> (outH, outW) row-major. */
  public static float[] resizeBicubic(float[] depth, int h, int w, int outH, int outW) {
    if (depth.length != h * w || outH < 1 || outW < 1) {
      throw new IllegalArgumentException("cannot resize " + depth.length + " values as " + h + "x" + w + " to "
          + outH + "x" + outW);
    }
    Taps rows = Taps.of(h, outH);
    Taps cols = Taps.of(w, outW);
    float[] out = new float[outH * outW];
    double[] rowValues = new double[4];
    for (int oy = 0; oy < outH; oy++) {
      for (int ox = 0; ox < outW; ox++) {
        for (int i = 0; i < 4; i++) {
          int row = rows.index[4 * oy + i] * w;
          double v = 0;
          for (int j = 0; j < 4; j++) {
            v += (double) depth[row + cols.index[4 * ox + j]] * cols.weight[4 * ox + j];
          }
          rowValues[i] = v;
        }
        double v = 0;
        for (int i = 0; i < 4; i++) {
          v += rowValues[i] * rows.weight[4 * oy + i];
        }
        out[oy * outW + ox] = (float) v;
      }
    }
    return out;
  }

  /** The four source indices (clamped to the input) and weights of every output position along one axis. */
  private record Taps(int[] index, float[] weight) {
    static Taps of(int inSize, int outSize) {
      float scale = (float) inSize / outSize;
      int[] index = new int[4 * outSize];
      float[] weight = new float[4 * outSize];
      for (int o = 0; o < outSize; o++) {
        // area_pixel_compute_source_index(scale, o, align_corners=False, cubic=True): not clamped
        float real = (float) (scale * (o + 0.5) - 0.5);
        int in = (int) Math.floor(real);
        float t = real - in;
        weight[4 * o] = (float) cubicConvolution2(t + 1.0);
        weight[4 * o + 1] = (float) cubicConvolution1(t);
        weight[4 * o + 2] = (float) cubicConvolution1(1.0 - t);
        weight[4 * o + 3] = (float) cubicConvolution2(2.0 - t);
        for (int j = 0; j < 4; j++) {
          index[4 * o + j] = Math.min(Math.max(in - 1 + j, 0), inSize - 1);
        }
      }
      return new Taps(index, weight);
    }

    /** |x| <= 1. */
    private static double cubicConvolution1(double x) {
      return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    /** 1 < |x| < 2. */
    private static double cubicConvolution2(double x) {
      return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }
  }
}
