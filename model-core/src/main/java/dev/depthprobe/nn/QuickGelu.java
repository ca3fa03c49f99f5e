package dev.depthprobe.nn;

import dev.depthprobe.compute.ChunkKernel;
import dev.depthprobe.compute.FloatExp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * transformers QuickGELUActivation ({@code ACT2FN["quick_gelu"]}): {@code x * sigmoid(1.702 * x)}, a
 * {@link ChunkKernel} whose loops HotSpot vectorises.
 */
public final class QuickGelu extends ChunkKernel {
  private static final float SCALE = 1.702f;

  private final float[] e = new float[CHUNK];
  private final float[] exponents = new float[CHUNK];

  /** Replaces every element x of {@code values}, a contiguous float32 array, by quick_gelu(x), in parallel. */
  public static void applyInPlace(INDArray values) {
    ChunkKernel.applyInPlace(values, QuickGelu::new);
  }

  @Override
  protected void applyToChunk(int n) {
    float[] x = chunk;
    for (int i = 0; i < n; i++) {
      e[i] = -SCALE * x[i];
    }
    FloatExp.expInPlace(e, n, exponents);
    for (int i = 0; i < n; i++) {
      x[i] = x[i] / (1f + e[i]); // x * sigmoid(1.702 x) = x / (1 + e^(-1.702 x))
    }
  }
}
