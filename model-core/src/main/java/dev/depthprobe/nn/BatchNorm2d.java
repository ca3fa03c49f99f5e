package dev.depthprobe.nn;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torch nn.BatchNorm2d in eval mode on tokens: running statistics, eps 1e-5, applied as PyTorch's
 * inference kernel does, {@code x * alpha + beta} with {@code alpha = weight / sqrt(running_var + eps)}
 * and {@code beta = bias - running_mean * alpha}. {@code num_batches_tracked} is not read.
 */
public final class BatchNorm2d {
  private static final float EPS = 1e-5f;

  private final INDArray alpha; // (C)
  private final INDArray beta; // (C)

  public BatchNorm2d(StateDict weights, String prefix, int channels) {
    float[] weight = weights.take(prefix + ".weight", channels).toArray();
    float[] bias = weights.take(prefix + ".bias", channels).toArray();
    float[] mean = weights.take(prefix + ".running_mean", channels).toArray();
    float[] var = weights.take(prefix + ".running_var", channels).toArray();
    float[] a = new float[channels];
    float[] b = new float[channels];
    for (int c = 0; c < channels; c++) {
      float invstd = 1f / (float) Math.sqrt(var[c] + EPS);
      a[c] = invstd * weight[c];
      b[c] = bias[c] - mean[c] * a[c];
    }
    this.alpha = Nd4j.createFromArray(a);
    this.beta = Nd4j.createFromArray(b);
  }

  /** Normalises the (B*H*W, C) tokens in place and returns them. */
  public Tokens forwardInPlace(Tokens x) {
    x.values().muliRowVector(alpha).addiRowVector(beta);
    return x;
  }
}
