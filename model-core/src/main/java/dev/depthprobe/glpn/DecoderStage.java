package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * transformers GLPNDecoderStage: a 1x1 conv to decoder_hidden_size (nn.Identity, with no weights, when
 * the widths already match), selective fusion with the previous stage's output, x2 bilinear upsampling.
 */
final class DecoderStage {
  private final Conv2d convolution; // null: nn.Identity
  private final SelectiveFeatureFusion fusion; // null in the first stage, which has nothing to fuse

  DecoderStage(StateDict weights, String prefix, int inChannels, int outChannels, boolean fuses) {
    this.convolution = inChannels == outChannels
        ? null
        : new Conv2d(weights, prefix + ".convolution", inChannels, outChannels, 1, 1, 0);
    this.fusion = fuses ? new SelectiveFeatureFusion(weights, prefix + ".fusion", outChannels) : null;
  }

  /**
   * hidden (B, C_in, H, W) and the previous stage's output (B, D, H, W), or null in the first stage,
   * -> (B, D, 2H, 2W) in the current workspace.
   */
  INDArray forward(INDArray hiddenState, INDArray residual) {
    INDArray fused;
    try (MemoryWorkspace ignored = ForwardWorkspaces.block()) {
      INDArray projected = convolution == null ? hiddenState : convolution.forward(hiddenState);
      fused = ForwardWorkspaces.keep(residual == null ? projected : fusion.forward(projected, residual));
    }
    return BilinearUpsample2x.forward(fused);
  }
}
