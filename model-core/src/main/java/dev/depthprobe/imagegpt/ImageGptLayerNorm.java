package dev.depthprobe.imagegpt;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** transformers ImageGPTLayerNorm: {@code x / sqrt(mean(x^2) + eps) * weight}, no bias. */
final class ImageGptLayerNorm {
  private final INDArray weight; // (n_embd)
  private final float eps;

  ImageGptLayerNorm(StateDict weights, String prefix, int size, double eps) {
    this.weight = weights.take(prefix + ".weight", size).toNd4j();
    this.eps = (float) eps;
  }

  /** (rows, n_embd) -> a new (rows, n_embd); {@code x} is left unchanged. */
  INDArray forward(INDArray x) {
    // input is not mean centered
    INDArray rms = x.mul(x).mean(true, 1).addi(eps); // (rows, 1)
    Transforms.sqrt(rms, false);
    return x.divColumnVector(rms).muliRowVector(weight);
  }
}
