package dev.depthprobe.compute;

import java.nio.FloatBuffer;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An elementwise function applied in place to a float32 array a chunk at a time: each chunk is copied into
 * {@link #chunk}, where a subclass's loops over it and its own scratch arrays, all indexed alike, are what HotSpot
 * vectorises. Over a native array the chunks are shared out among the threads, one instance (one scratch) each.
 */
public abstract class ChunkKernel {
  /** Elements per chunk: the chunk and its scratch stay in the L1/L2 caches. */
  public static final int CHUNK = 4096;

  /** The chunk being worked on. */
  protected final float[] chunk = new float[CHUNK];

  /** chunk[0, n) = f(chunk[0, n)), n at most {@link #CHUNK}. */
  protected abstract void applyToChunk(int n);

  /** values[0, n) = f(values[0, n)), on this thread. */
  public final void applyInPlace(float[] values, int n) {
    for (int from = 0; from < n; from += CHUNK) {
      int length = Math.min(CHUNK, n - from);
      System.arraycopy(values, from, chunk, 0, length);
      applyToChunk(length);
      System.arraycopy(chunk, 0, values, from, length);
    }
  }

  /** Every element of {@code values}, a contiguous float32 array, in place; one kernel per thread. */
  public static void applyInPlace(INDArray values, Supplier<? extends ChunkKernel> kernels) {
    FloatBuffer buffer = JavaFloats.view(values);
    int length = buffer.limit();
    int chunks = (length + CHUNK - 1) / CHUNK;
    int threads = Parallel.threads(chunks);
    ChunkKernel[] perThread = new ChunkKernel[threads];
    for (int i = 0; i < threads; i++) {
      perThread[i] = kernels.get();
    }
    Parallel.forEach(threads, chunks, (thread, index) -> {
      ChunkKernel kernel = perThread[thread];
      int from = index * CHUNK;
      int n = Math.min(CHUNK, length - from);
      buffer.get(from, kernel.chunk, 0, n);
      kernel.applyToChunk(n);
      buffer.put(from, kernel.chunk, 0, n);
    });
  }
}
