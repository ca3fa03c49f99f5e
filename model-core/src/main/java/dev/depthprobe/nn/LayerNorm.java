package dev.depthprobe.nn;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.compute.FloatLoops;
import dev.depthprobe.compute.JavaFloats;
import dev.depthprobe.compute.RowKernel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torch nn.LayerNorm(hidden_size) over the channel axis of a token sequence, as PyTorch's CPU kernel
 * computes it: biased variance, then {@code (x * rstd - mean * rstd) * weight + bias}. A Java {@link RowKernel}
 * (ND4J's layer-norm op has no epsilon, and composing it from ND4J ops takes ten passes); its two sums are
 * {@link FloatLoops}' (on the Vector API where it is loaded: HotSpot does not vectorise a float sum).
 */
public final class LayerNorm implements RowKernel {
  /**
   * Every nn.LayerNorm in modeling_glpn.py is built with PyTorch's default eps; config.layer_norm_eps
   * (1e-6) is NOT used by the modeling code.
   */
  static final float EPS = 1e-5f;

  private final float[] weight; // (C)
  private final float[] bias; // (C)

  public LayerNorm(StateDict weights, String prefix, int channels) {
    this.weight = weights.take(prefix + ".weight", channels).toArray();
    this.bias = weights.take(prefix + ".bias", channels).toArray();
  }

  /** (rows, C) -> a new (rows, C); {@code x} is unchanged. */
  public INDArray forward(INDArray x) {
    INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), weight.length);
    apply(JavaFloats.contiguous(x), y);
    return y;
  }

  public Tokens forward(Tokens x) {
    return x.with(forward(x.values()));
  }

  /** One row of C values, in place. */
  @Override
  public void applyInPlace(float[] row) {
    int n = row.length;
    float mean = FloatLoops.sum(row, n) / n;
    float variance = FloatLoops.squaredDeviations(row, mean, n) / n; // biased, as PyTorch's
    float rstd = 1f / (float) Math.sqrt(variance + EPS);
    float shift = -mean * rstd;
    for (int c = 0; c < n; c++) {
      row[c] = (row[c] * rstd + shift) * weight[c] + bias[c];
    }
  }
}
