package dev.depthprobe.compute;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A function of one row (a layer norm, say), applied to every row of a contiguous (rows, width) float32 array:
 * blocks of rows are copied out of the native array and shared out among the threads, and each row is copied into
 * a scratch row so that the function's loops index all their arrays alike (which HotSpot needs to vectorise them).
 * The function must be safe to call from several threads at once.
 */
@FunctionalInterface
public interface RowKernel {
  /** Rows per parallel item. */
  int ROWS_PER_ITEM = 64;

  /** row = f(row), in place. */
  void applyInPlace(float[] row);

  /** {@code out} (rows, width) = f of each row of {@code x} (rows, width), both contiguous; x is unchanged. */
  default void apply(INDArray x, INDArray out) {
    int width = (int) x.size(1);
    int rows = Math.toIntExact(x.size(0));
    FloatBuffer in = JavaFloats.view(x);
    FloatBuffer result = JavaFloats.view(out);
    int items = (rows + ROWS_PER_ITEM - 1) / ROWS_PER_ITEM;
    int threads = Parallel.threads(items);
    Parallel.forEach(threads, items, (thread, item) -> {
      int first = item * ROWS_PER_ITEM;
      int count = Math.min(ROWS_PER_ITEM, rows - first);
      float[] block = RowKernelScratch.BLOCKS.floats(ROWS_PER_ITEM * width);
      float[] row = RowKernelScratch.ROWS.exactly(width);
      in.get(first * width, block, 0, count * width);
      for (int r = 0; r < count; r++) {
        System.arraycopy(block, r * width, row, 0, width);
        applyInPlace(row);
        System.arraycopy(row, 0, block, r * width, width);
      }
      result.put(first * width, block, 0, count * width);
    });
  }
}

/** {@link RowKernel#apply}'s block of rows and row, per thread. */
final class RowKernelScratch {
  static final ThreadScratch BLOCKS = new ThreadScratch();
  static final ThreadScratch ROWS = new ThreadScratch();

  private RowKernelScratch() {}
}
