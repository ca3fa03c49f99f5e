package dev.depthprobe.imagegpt;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.compute.JavaFloats;
import dev.depthprobe.compute.Parallel;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * transformers ImageGPTLayerNorm: {@code x / sqrt(mean(x^2) + eps) * weight}, no bias. A Java loop over blocks of
 * rows copied out of the native array, shared out among the threads (composed of ND4J ops it takes five passes,
 * two of them slow broadcasts).
 */
final class ImageGptLayerNorm {
  /** Rows per parallel item. */
  private static final int ROWS_PER_ITEM = 64;

  private final float[] weight; // (n_embd)
  private final float eps;

  ImageGptLayerNorm(StateDict weights, String prefix, int size, double eps) {
    this.weight = weights.take(prefix + ".weight", size).toArray();
    this.eps = (float) eps;
  }

  /** (rows, n_embd) -> a new (rows, n_embd); {@code x} is left unchanged. */
  INDArray forward(INDArray x) {
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, x.rows(), weight.length);
    forward(x, out);
    return out;
  }

  /** x (rows, n_embd), contiguous -> out (rows, n_embd), contiguous, overwritten. */
  void forward(INDArray x, INDArray out) {
    int size = weight.length;
    int rows = Math.toIntExact(x.size(0));
    FloatBuffer in = JavaFloats.view(x);
    FloatBuffer normed = JavaFloats.view(out);
    int items = (rows + ROWS_PER_ITEM - 1) / ROWS_PER_ITEM;
    int threads = Parallel.threads(items);
    float[][] blocks = new float[threads][ROWS_PER_ITEM * size];
    float[][] rowBuffers = new float[threads][size];
    Parallel.forEach(threads, items, (thread, item) -> {
      int first = item * ROWS_PER_ITEM;
      int count = Math.min(ROWS_PER_ITEM, rows - first);
      float[] block = blocks[thread];
      float[] row = rowBuffers[thread];
      in.get(first * size, block, 0, count * size);
      for (int r = 0; r < count; r++) {
        System.arraycopy(block, r * size, row, 0, size);
        normalizeRow(row);
        System.arraycopy(row, 0, block, r * size, size);
      }
      normed.put(first * size, block, 0, count * size);
    });
  }

  /** One row, in place. */
  private void normalizeRow(float[] row) {
    // input is not mean centered
    double sumOfSquares = 0;
    for (float v : row) {
      sumOfSquares += v * v;
    }
    float denominator = (float) Math.sqrt((float) (sumOfSquares / row.length) + eps);
    for (int i = 0; i < row.length; i++) {
      row[i] = row[i] / denominator * weight[i];
    }
  }
}
