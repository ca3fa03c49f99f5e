package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.nn.ForwardWorkspaces;
import dev.depthprobe.nn.LayerNorm;
import dev.depthprobe.nn.Linear;
import dev.depthprobe.nn.Tokens;
import org.nd4j.linalg.api.memory.MemoryWorkspace;

/** transformers GLPNLayer (the paper's Block): pre-norm attention and Mix-FFN, each with a residual. */
final class EncoderLayer {
  private final LayerNorm layerNorm1;
  private final EfficientSelfAttention attention;
  private final Linear attentionOutput;
  private final LayerNorm layerNorm2;
  private final MixFfn mlp;

  EncoderLayer(StateDict weights, String prefix, int hiddenSize, int numHeads, int srRatio, int mlpHiddenSize) {
    this.layerNorm1 = new LayerNorm(weights, prefix + ".layer_norm_1", hiddenSize);
    this.attention = new EfficientSelfAttention(weights, prefix + ".attention.self", hiddenSize, numHeads, srRatio);
    this.attentionOutput = new Linear(weights, prefix + ".attention.output.dense", hiddenSize, hiddenSize);
    this.layerNorm2 = new LayerNorm(weights, prefix + ".layer_norm_2", hiddenSize);
    this.mlp = new MixFfn(weights, prefix + ".mlp", hiddenSize, mlpHiddenSize);
  }

  /** Runs the layer on {@code hidden}'s values in place. Each half's temporaries are freed before the next. */
  void forwardInPlace(Tokens hidden) {
    try (MemoryWorkspace ignored = ForwardWorkspaces.block()) {
      // in GLPN, layernorm is applied before self-attention
      attentionOutput.forwardAdd(attention.forward(layerNorm1.forward(hidden)), hidden.values());
    }
    try (MemoryWorkspace ignored = ForwardWorkspaces.block()) {
      mlp.forwardAdd(layerNorm2.forward(hidden), hidden.values());
    }
  }
}
