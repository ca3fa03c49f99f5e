package dev.depthprobe.imagegpt;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;

/** transformers.pytorch_utils.Conv1D: a linear layer whose weight is stored [in, out] (transposed w.r.t. nn.Linear). */
final class Conv1d {
  private final INDArray weight; // (in, out)
  private final INDArray bias; // (out)

  Conv1d(StateDict weights, String prefix, int in, int out) {
    this.weight = weights.take(prefix + ".weight", in, out).toNd4j();
    this.bias = weights.take(prefix + ".bias", out).toNd4j();
  }

  /** (rows, in) -> (rows, out): {@code x @ weight + bias}, as torch.addmm. */
  INDArray forward(INDArray x) {
    return x.mmul(weight).addiRowVector(bias);
  }
}
