package dev.depthprobe.nn;

import dev.depthprobe.compute.ChunkKernel;
import dev.depthprobe.compute.FloatExp;

/**
 * transformers GELUActivation ({@code ACT2FN["gelu"]}): the exact form {@code x * 0.5 * (1 + erf(x / sqrt(2)))}.
 * erf is computed as PyTorch's vectorised CPU kernel computes it (Abramowitz and Stegun 7.1.26,
 * |error| < 1.5e-7), a {@link ChunkKernel} whose loops HotSpot vectorises. ND4J's
 * GELU op is the sigmoid approximation, and its erf-based form takes five passes.
 */
public final class Gelu extends ChunkKernel {
  private static final float SQRT1_2 = (float) Math.sqrt(0.5);
  private static final float P = 0.3275911f;
  private static final float A1 = 0.254829592f;
  private static final float A2 = -0.284496736f;
  private static final float A3 = 1.421413741f;
  private static final float A4 = -1.453152027f;
  private static final float A5 = 1.061405429f;

  /** One thread's scratch. */
  private final float[] t = new float[CHUNK];
  private final float[] e = new float[CHUNK];
  private final float[] exponents = new float[CHUNK];

  /**
   * x[0, n) = gelu(x[0, n)), with erf(u) = sign(u) (1 - t (a1 + a2 t + a3 t^2 + a4 t^3 + a5 t^4) exp(-u^2)),
   * t = 1 / (1 + p |u|), u = x / sqrt(2).
   */
  @Override
  protected void applyToChunk(int n) {
    float[] x = chunk;
    for (int i = 0; i < n; i++) {
      float a = Math.abs(x[i] * SQRT1_2);
      t[i] = 1f / (1f + P * a);
      e[i] = -(a * a);
    }
    FloatExp.expInPlace(e, n, exponents);
    for (int i = 0; i < n; i++) {
      float u = x[i] * SQRT1_2;
      float a = Math.abs(u);
      float ti = t[i];
      float poly = (((A5 * ti + A4) * ti + A3) * ti + A2) * ti + A1;
      float y = 1f - poly * ti * e[i];
      float sign = u / Math.max(a, Float.MIN_NORMAL); // -1, 1, or 0 where y is 0 too
      x[i] = x[i] * 0.5f * (1f + y * sign);
    }
  }
}
