package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;

/** transformers GLPNOverlapPatchEmbeddings: a strided conv with padding patch_size // 2, then LayerNorm. */
final class OverlapPatchEmbeddings {
  private final Conv2d proj;
  private final LayerNorm layerNorm;

  OverlapPatchEmbeddings(StateDict weights, String prefix, int patchSize, int stride, int numChannels,
      int hiddenSize) {
    this.proj = new Conv2d(weights, prefix + ".proj", numChannels, hiddenSize, patchSize, stride, patchSize / 2);
    this.layerNorm = new LayerNorm(weights, prefix + ".layer_norm", hiddenSize);
  }

  /** (B, C_in, H, W) -> tokens (B*H'*W', hidden_size). */
  Tokens forward(INDArray pixels) {
    // (B, hidden, H', W') -> (B*H'*W', hidden)
    return layerNorm.forward(Tokens.fromNchw(proj.forward(pixels)));
  }
}
