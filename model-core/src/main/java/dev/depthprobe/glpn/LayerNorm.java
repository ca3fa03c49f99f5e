package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** torch nn.LayerNorm(hidden_size) over the channel axis of a token sequence. */
final class LayerNorm {
  /**
   * Every nn.LayerNorm in modeling_glpn.py is built with PyTorch's default eps; config.layer_norm_eps
   * (1e-6) is NOT used by the modeling code. (ND4J's layer-norm op has no epsilon, hence this class.)
   */
  static final float EPS = 1e-5f;

  private final INDArray weight; // (C)
  private final INDArray bias; // (C)

  LayerNorm(StateDict weights, String prefix, int channels) {
    this.weight = weights.take(prefix + ".weight", channels).toNd4j();
    this.bias = weights.take(prefix + ".bias", channels).toNd4j();
  }

  /** (rows, C) -> a new (rows, C): {@code (x - mean) / sqrt(var + eps) * weight + bias}; {@code x} is unchanged. */
  INDArray forward(INDArray x) {
    INDArray centered = x.subColumnVector(x.mean(true, 1));
    INDArray variance = centered.mul(centered).mean(true, 1); // (rows, 1), biased as PyTorch's
    INDArray rstd = Transforms.sqrt(variance.addi(EPS), false).rdivi(1f);
    return centered.muliColumnVector(rstd).muliRowVector(weight).addiRowVector(bias);
  }

  Tokens forward(Tokens x) {
    return x.with(forward(x.values()));
  }
}
