package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
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

  /** tokens (B*L, C) -> (B*L, C). */
  INDArray forward(Tokens hidden) {
    // dense1, dwconv, GELU: (B*L, C) -> (B*L, hidden_features)
    INDArray expanded = dwconv.forwardGelu(dense1.forward(hidden)).values();
    return dense2.forward(expanded);
  }
}
