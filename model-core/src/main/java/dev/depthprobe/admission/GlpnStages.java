package dev.depthprobe.admission;

import dev.depthprobe.glpn.GlpnConfig;

/**
 * The token grid of each GLPN encoder stage for one input size: stage i's overlapping patch embedding (kernel p_i,
 * stride s_i, padding p_i / 2) maps h_{i-1} rows to {@code (h_{i-1} + 2 (p_i / 2) - p_i) / s_i + 1}, as
 * GLPNOverlapPatchEmbeddings' nn.Conv2d does.
 */
record GlpnStages(GlpnConfig config, long[] heights, long[] widths) {
  static GlpnStages of(GlpnConfig config, int height, int width) {
    int n = config.numEncoderBlocks();
    long[] h = new long[n];
    long[] w = new long[n];
    long inH = height;
    long inW = width;
    for (int i = 0; i < n; i++) {
      int p = config.patchSizes()[i];
      int s = config.strides()[i];
      h[i] = Math.max(0, (inH + 2 * (p / 2) - p) / s + 1);
      w[i] = Math.max(0, (inW + 2 * (p / 2) - p) / s + 1);
      inH = h[i];
      inW = w[i];
    }
    return new GlpnStages(config, h, w);
  }

  int count() {
    return heights.length;
  }

  /** T_i: tokens of stage i. */
  long tokens(int i) {
    return heights[i] * widths[i];
  }

  /** R_i: keys and values after the sequence-reduction conv (kernel = stride = sr_ratio). */
  long reducedTokens(int i) {
    int sr = config.srRatios()[i];
    return (heights[i] / sr) * (widths[i] / sr);
  }

  /**
   * Positions the depth head sees: its decoder stage's encoder stage upsampled x2, and x2 again by final_upsample
   * when the head reads the last stage.
   */
  long headPixels() {
    int headStage = config.headStage();
    int encoderStage = count() - 1 - headStage;
    long scale = headStage == count() - 1 ? 4 : 2;
    return scale * heights[encoderStage] * scale * widths[encoderStage];
  }
}
