package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.nn.Linear;
import dev.depthprobe.nn.Tokens;
import org.nd4j.linalg.api.ndarray.INDArray;

/** transformers GLPNMixFFN: dense1, depthwise 3x3 conv, exact GELU, dense2. */
final class MixFfn {
  private final Linear dense1;
  private final DwConv dwconv;
  private final Linear dense2;

  MixFfn(StateDict weights, String prefix, int inFeatures, int hiddenFeatures) {
    this.dense1 = new Linear(weights, prefix + ".dense1", inFeatures, hiddenFeatures);
    this.dwconv = new DwConv(weights, prefix + ".dwconv.dwconv", hiddenFeatures);
    this.dense2 = new Linear(weights, prefix + ".dense2", hiddenFeatures, inFeatures);
  }

  /** {@code residual} (B*L, C) += mlp(hidden), hidden being tokens (B*L, C). */
  void forwardAdd(Tokens hidden, INDArray residual) {
    // dense1, dwconv, GELU: (B*L, C) -> (B*L, hidden_features)
    INDArray expanded = dwconv.forwardGelu(dense1.forward(hidden)).values();
    dense2.forwardAdd(expanded, residual);
  }
}
