package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;

/** torch nn.Linear: {@code y = x W^T + b}, with W stored (out, in). */
final class Linear {
  private final INDArray weightT; // (in, out): a transposed view of the (out, in) checkpoint tensor
  private final INDArray bias; // (out)

  Linear(StateDict weights, String prefix, int in, int out) {
    this.weightT = weights.take(prefix + ".weight", out, in).toNd4j().transpose();
    this.bias = weights.take(prefix + ".bias", out).toNd4j();
  }

  /** (rows, in) -> a new c-ordered (rows, out). */
  INDArray forward(INDArray x) {
    return x.mmul(weightT, 'c').addiRowVector(bias);
  }

  Tokens forward(Tokens x) {
    return x.with(forward(x.values()));
  }
}
