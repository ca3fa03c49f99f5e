package dev.depthprobe.admission;

import dev.depthprobe.glpn.GlpnConfig;

/**
 * {@link Flops} of one GLPNForDepthEstimation forward pass on a {@code height x width} input (the processed size).
 * Per encoder stage i with T_i = h_i w_i tokens, width C_i, Mix-FFN width M_i, R_i = (h_i / sr_i)(w_i / sr_i)
 * reduced keys and depth L_i, in multiply-adds:
 * <pre>
 *   patch embedding  C_{i-1} C_i k_i^2 T_i
 *   per layer        2 T_i C_i^2 (query, output) + 2 R_i C_i^2 (key, value) + 2 T_i R_i C_i (scores, context)
 *                    + 2 T_i C_i M_i (dense1, dense2) + 9 T_i M_i (depthwise 3x3) + C_i^2 sr_i^2 R_i (sr conv)
 *   decoder stage    C_i D T_i (1x1 conv, absent when C_i = D) + 9 T_i (2D D + D D/2 + D/2 2) (fusion, not first)
 *   head             9 D (D + 1) T_head, T_head = 4 T_0 for the last stage
 * </pre>
 * The attention term grows with T_i R_i, that is with the square of the pixels: it is what makes large images slow.
 */
public final class GlpnFlops {
  private GlpnFlops() {}

  public static Flops perImage(GlpnConfig config, int height, int width) {
    GlpnStages stages = GlpnStages.of(config, height, width);
    Flops flops = Flops.ZERO;
    for (int i = 0; i < stages.count(); i++) {
      int p = config.patchSizes()[i];
      flops = flops.plus(conv(config.patchEmbeddingChannels(i), config.hiddenSizes()[i], p, stages.tokens(i)));
      flops = flops.plus(encoderLayer(config, stages, i).times(config.depths()[i]));
    }
    int n = stages.count();
    int d = config.decoderHiddenSize();
    for (int s = 0; s < n; s++) {
      int stage = n - 1 - s; // deepest encoder stage first
      long pixels = stages.tokens(stage);
      if (config.hiddenSizes()[stage] != d) {
        flops = flops.plus(conv(config.hiddenSizes()[stage], d, 1, pixels));
      }
      if (s > 0) {
        // selective feature fusion: conv 3x3 2D -> D, D -> D/2, D/2 -> 2
        flops = flops.plus(conv(2 * d, d, 3, pixels)).plus(conv(d, d / 2, 3, pixels)).plus(conv(d / 2, 2, 3, pixels));
      }
    }
    long headPixels = stages.headPixels();
    return flops.plus(conv(d, d, 3, headPixels)).plus(conv(d, 1, 3, headPixels));
  }

  /** Attention scores of one pass: sum over stages of depth_i heads_i T_i R_i. */
  public static long attentionScores(GlpnConfig config, int height, int width) {
    GlpnStages stages = GlpnStages.of(config, height, width);
    long scores = 0;
    for (int i = 0; i < stages.count(); i++) {
      scores += (long) config.depths()[i] * config.numAttentionHeads()[i] * stages.tokens(i) * stages.reducedTokens(i);
    }
    return scores;
  }

  /** One GLPNLayer of stage {@code i}. */
  private static Flops encoderLayer(GlpnConfig config, GlpnStages stages, int i) {
    long c = config.hiddenSizes()[i];
    long tokens = stages.tokens(i);
    int sr = config.srRatios()[i];
    long reduced = stages.reducedTokens(i); // keys and values come from the sequence-reduced map
    long mlp = config.mlpHiddenSize(i);
    Flops flops = Flops.linear(tokens * c * c * 2) // query, output.dense
        .plus(Flops.linear(reduced * c * c * 2)) // key, value
        .plus(Flops.attention(tokens * reduced * c * 2)) // q k^T and scores v, over all heads
        .plus(Flops.linear(tokens * c * mlp * 2)) // dense1, dense2
        .plus(Flops.conv(tokens * mlp * 9)); // depthwise 3x3
    return sr > 1 ? flops.plus(conv(c, c, sr, reduced)) : flops;
  }

  /** A conv2d producing {@code outPixels} positions. */
  private static Flops conv(long in, long out, long kernel, long outPixels) {
    return Flops.conv(in * out * kernel * kernel * outPixels);
  }
}
