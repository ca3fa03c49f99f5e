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

  /** The hidden states (images * seq, n_embd) of the state's chunk of images, replaced by the block's output. */
  void forward(INDArray hidden, ImageGptState state) {
    // hidden_states = residual + attn(ln_1(hidden_states))
    ln1.forward(hidden, state.normed);
    attn.forward(state.normed, state, hidden);
    // hidden_states = residual + mlp(ln_2(hidden_states))
    ln2.forward(hidden, state.normed);
    mlp.forward(state.normed, state, hidden);
  }
}
