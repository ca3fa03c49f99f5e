package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.nn.BilinearUpsample2x;
import dev.depthprobe.nn.Conv2d;
import dev.depthprobe.nn.ForwardWorkspaces;
import dev.depthprobe.nn.Tokens;
import org.nd4j.linalg.api.memory.MemoryWorkspace;

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
   * hidden tokens (B*H*W, C_in) and the previous stage's output (B*H*W, D), or null in the first stage,
   * -> (B*2H*2W, D) in the current workspace.
   */
  Tokens forward(Tokens hiddenState, Tokens residual) {
    Tokens fused;
    try (MemoryWorkspace ignored = ForwardWorkspaces.block()) {
      Tokens projected = convolution == null ? hiddenState : convolution.forward(hiddenState);
      Tokens stage = residual == null ? projected : fusion.forward(projected, residual);
      fused = stage.with(ForwardWorkspaces.keep(stage.values()));
    }
    return BilinearUpsample2x.forward(fused);
  }
}
