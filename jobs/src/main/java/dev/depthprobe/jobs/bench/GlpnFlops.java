package dev.depthprobe.jobs.bench;

import dev.depthprobe.glpn.GlpnConfig;

/** {@link Flops} of one GLPNForDepthEstimation forward pass on a {@code height x width} image. */
public final class GlpnFlops {
  private GlpnFlops() {}

  public static Flops perImage(GlpnConfig config, int height, int width) {
    int n = config.numEncoderBlocks();
    long[] h = new long[n];
    long[] w = new long[n];
    Flops flops = Flops.ZERO;
    long inH = height;
    long inW = width;
    for (int i = 0; i < n; i++) {
      int p = config.patchSizes()[i];
      int s = config.strides()[i];
      h[i] = (inH + 2 * (p / 2) - p) / s + 1;
      w[i] = (inW + 2 * (p / 2) - p) / s + 1;
      flops = flops.plus(conv(config.patchEmbeddingChannels(i), config.hiddenSizes()[i], p, h[i] * w[i]));
      flops = flops.plus(encoderLayer(config, i, h[i], w[i]).times(config.depths()[i]));
      inH = h[i];
      inW = w[i];
    }
    int d = config.decoderHiddenSize();
    for (int s = 0; s < n; s++) {
      int stage = n - 1 - s; // deepest encoder stage first
      long pixels = h[stage] * w[stage];
      if (config.hiddenSizes()[stage] != d) {
        flops = flops.plus(conv(config.hiddenSizes()[stage], d, 1, pixels));
      }
      if (s > 0) {
        // selective feature fusion: conv 3x3 2D -> D, D -> D/2, D/2 -> 2
        flops = flops.plus(conv(2 * d, d, 3, pixels)).plus(conv(d, d / 2, 3, pixels)).plus(conv(d / 2, 2, 3, pixels));
      }
    }
    // the head reads its decoder stage after the stage's x2 upsampling, and the last stage after
    // final_upsample too
    int headStage = config.headStage();
    int encoderStage = n - 1 - headStage;
    long scale = headStage == n - 1 ? 4 : 2;
    long headPixels = scale * h[encoderStage] * scale * w[encoderStage];
    return flops.plus(conv(d, d, 3, headPixels)).plus(conv(d, 1, 3, headPixels));
  }

  /** One GLPNLayer of stage {@code i} on {@code h x w} tokens. */
  private static Flops encoderLayer(GlpnConfig config, int i, long h, long w) {
    long c = config.hiddenSizes()[i];
    long tokens = h * w;
    int sr = config.srRatios()[i];
    long reduced = (h / sr) * (w / sr); // keys and values come from the sequence-reduced map
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
