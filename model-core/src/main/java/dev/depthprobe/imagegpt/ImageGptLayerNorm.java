package dev.depthprobe.imagegpt;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.compute.RowKernel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * transformers ImageGPTLayerNorm: {@code x / sqrt(mean(x^2) + eps) * weight}, no bias, as a Java {@link RowKernel}
 * (composed of ND4J ops it takes five passes, two of them slow broadcasts).
 */
final class ImageGptLayerNorm implements RowKernel {
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
    apply(x, out);
  }

  /** One row, in place. */
  @Override
  public void applyInPlace(float[] row) {
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
