package dev.depthprobe.imagegpt;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;

/** transformers ImageGPTBlock: pre-norm attention and MLP, each with a residual connection. */
final class ImageGptBlock {
  private final ImageGptLayerNorm ln1;
  private final ImageGptAttention attn;
  private final ImageGptLayerNorm ln2;
  private final ImageGptMlp mlp;

  ImageGptBlock(StateDict weights, String prefix, ImageGptConfig config, int layerIdx) {
    this.ln1 = new ImageGptLayerNorm(weights, prefix + ".ln_1", config.nEmbd(), config.layerNormEpsilon());
    this.attn = new ImageGptAttention(weights, prefix + ".attn", config, layerIdx);
    this.ln2 = new ImageGptLayerNorm(weights, prefix + ".ln_2", config.nEmbd(), config.layerNormEpsilon());
    this.mlp = new ImageGptMlp(weights, prefix + ".mlp", config);
  }

  /** The block's first layer norm: what the iGPT paper's linear probe reads. */
  ImageGptLayerNorm ln1() {
    return ln1;
  }

  /** (batch * seq, n_embd) -> a new (batch * seq, n_embd); {@code x} is left unchanged. */
  INDArray forward(INDArray x, int batch, int seq, INDArray causalBias) {
    INDArray hidden = attn.forward(ln1.forward(x), batch, seq, causalBias).addi(x);
    return mlp.forward(ln2.forward(hidden)).addi(hidden);
  }
}
