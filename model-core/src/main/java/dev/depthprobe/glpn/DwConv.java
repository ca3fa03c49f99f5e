package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;

/**
 * transformers GLPNDWConv: a depthwise 3x3 convolution (padding 1, with bias). It runs on the token
 * layout, channels last, as a Java loop: no transposes, and faster than ND4J's depthwise op.
 */
final class DwConv {
  private final int channels;
  private final float[] taps; // (3, 3, C): taps[(ky * 3 + kx) * C + c] = weight[c, 0, ky, kx]
  private final float[] bias; // (C)

  DwConv(StateDict weights, String prefix, int channels) {
    this.channels = channels;
    float[] weight = weights.take(prefix + ".weight", channels, 1, 3, 3).toArray(); // (C, 1, 3, 3)
    this.taps = new float[9 * channels];
    for (int c = 0; c < channels; c++) {
      for (int k = 0; k < 9; k++) {
        taps[k * channels + c] = weight[c * 9 + k];
      }
    }
    this.bias = weights.take(prefix + ".bias", channels).toArray();
  }

  /** (B*H*W, C) tokens -> new (B*H*W, C) tokens. */
  Tokens forward(Tokens x) {
    float[] out = apply(JavaFloats.copyOut(x.values()), x.batch(), x.height(), x.width());
    return x.with(JavaFloats.copyIn(out, x.values().shape()));
  }

  /** {@code in} is (B, H, W, C) channels last; returns the convolved map in the same layout. */
  float[] apply(float[] in, int batch, int height, int width) {
    int c = channels;
    float[] out = new float[in.length];
    for (int b = 0; b < batch; b++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int o = ((b * height + y) * width + x) * c;
          System.arraycopy(bias, 0, out, o, c);
          for (int ky = 0; ky < 3; ky++) {
            int iy = y + ky - 1;
            if (iy < 0 || iy >= height) {
              continue;
            }
            for (int kx = 0; kx < 3; kx++) {
              int ix = x + kx - 1;
              if (ix < 0 || ix >= width) {
                continue;
              }
              int i = ((b * height + iy) * width + ix) * c;
              int t = (ky * 3 + kx) * c;
              for (int ch = 0; ch < c; ch++) {
                out[o + ch] += taps[t + ch] * in[i + ch];
              }
            }
          }
        }
      }
    }
    return out;
  }
}
