package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.nn.Conv2d;
import dev.depthprobe.nn.LayerNorm;
import dev.depthprobe.nn.Tokens;

/** transformers GLPNOverlapPatchEmbeddings: a strided conv with padding patch_size // 2, then LayerNorm. */
final class OverlapPatchEmbeddings {
  private final Conv2d proj;
  private final LayerNorm layerNorm;

  OverlapPatchEmbeddings(StateDict weights, String prefix, int patchSize, int stride, int numChannels,
      int hiddenSize) {
    this.proj = new Conv2d(weights, prefix + ".proj", numChannels, hiddenSize, patchSize, stride, patchSize / 2);
    this.layerNorm = new LayerNorm(weights, prefix + ".layer_norm", hiddenSize);
  }

  /** tokens (B*H*W, C_in) -> tokens (B*H'*W', hidden_size). */
  Tokens forward(Tokens pixels) {
    return layerNorm.forward(proj.forward(pixels));
  }
}
