package dev.depthprobe.imagegpt;

import dev.depthprobe.compute.FloatExp;
import dev.depthprobe.compute.JavaFloats;
import dev.depthprobe.compute.Parallel;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * transformers QuickGELUActivation ({@code ACT2FN["quick_gelu"]}): {@code x * sigmoid(1.702 * x)}, over chunks
 * copied out of the native array, in loops HotSpot vectorises, shared out among the threads.
 */
final class QuickGelu {
  /** Elements per chunk: the chunk and its scratch stay in the L1/L2 caches. */
  private static final int CHUNK = 4096;
  private static final float SCALE = 1.702f;

  private final float[] x = new float[CHUNK];
  private final float[] e = new float[CHUNK];
  private final float[] exponents = new float[CHUNK];

  private QuickGelu() {}

  /** Replaces every element x of {@code values}, a contiguous float32 array, by quick_gelu(x). */
  static void applyInPlace(INDArray values) {
    FloatBuffer buffer = JavaFloats.view(values);
    int length = buffer.limit();
    int chunks = (length + CHUNK - 1) / CHUNK;
    int threads = Parallel.threads(chunks);
    QuickGelu[] kernels = new QuickGelu[threads];
    for (int i = 0; i < threads; i++) {
      kernels[i] = new QuickGelu();
    }
    Parallel.forEach(threads, chunks, (thread, chunk) ->
        kernels[thread].apply(buffer, chunk * CHUNK, Math.min(length, (chunk + 1) * CHUNK)));
  }

  private void apply(FloatBuffer buffer, int from, int to) {
    int n = to - from;
    buffer.get(from, x, 0, n);
    for (int i = 0; i < n; i++) {
      e[i] = -SCALE * x[i];
    }
    FloatExp.expInPlace(e, n, exponents);
    for (int i = 0; i < n; i++) {
      x[i] = x[i] / (1f + e[i]); // x * sigmoid(1.702 x) = x / (1 + e^(-1.702 x))
    }
    buffer.put(from, x, 0, n);
  }
}
