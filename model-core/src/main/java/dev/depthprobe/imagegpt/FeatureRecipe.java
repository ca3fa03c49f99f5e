package dev.depthprobe.imagegpt;

/** Which tensor at a layer the linear probe reads. */
public enum FeatureRecipe {
  /** transformers' {@code hidden_states[L]}. */
  HIDDEN,
  /**
   * The iGPT paper's probe input: {@code ln_1} of the next block applied to {@code hidden_states[L]}
   * (the post-layernorm input of attention block L + 1); at the last layer, {@code hidden_states[n_layer]},
   * which already has {@code ln_f} applied.
   */
  LN
}
