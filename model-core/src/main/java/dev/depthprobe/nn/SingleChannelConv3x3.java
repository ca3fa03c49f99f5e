package dev.depthprobe.nn;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.compute.JavaFloats;
import dev.depthprobe.compute.ThreadScratch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torch nn.Conv2d(C, 1, kernel_size=3, padding=1) on tokens, as one sgemm and a sum: each pixel's
 * contribution to each of its nine neighbours, (pixels, C) x (C, 9), then per output pixel the nine
 * contributions that reach it. oneDNN runs a one-channel conv at 6 GFLOP/s.
 */
public final class SingleChannelConv3x3 {
  /** Each pixel's nine tap products, per thread. */
  private static final ThreadScratch CONTRIBUTIONS = new ThreadScratch();

  private final INDArray taps; // (C, 9): taps[c, ky * 3 + kx] = weight[0, c, ky, kx]
  private final float bias;

  public SingleChannelConv3x3(StateDict weights, String prefix, int channels) {
    // (1, C, 3, 3) -> (C, 9)
    this.taps = weights.array(prefix + ".weight", 1, channels, 3, 3).reshape('c', channels, 9);
    this.bias = weights.take(prefix + ".bias", 1).toArray()[0];
  }

  /**
   * Rows [first, last) of the conv's output for {@code x}, which holds rows [top, top + x.height()) of
   * a map {@code mapHeight} rows high: (B, last - first, W) row-major. Rows outside the map are zero
   * padding; rows first - 1 and last must lie in x unless they are padding.
   */
  public float[] forwardRows(Tokens x, int top, int mapHeight, int first, int last) {
    int width = x.width();
    INDArray contributions = Nd4j.createUninitialized(DataType.FLOAT, x.values().size(0), 9);
    Nd4j.gemm(x.values(), taps, contributions, false, false, 1.0, 0.0);
    float[] c = CONTRIBUTIONS.floats(Math.toIntExact(contributions.length()));
    JavaFloats.view(contributions).get(0, c, 0, Math.toIntExact(contributions.length()));
    int rows = last - first;
    float[] out = new float[x.batch() * rows * width];
    for (int b = 0; b < x.batch(); b++) {
      for (int y = first; y < last; y++) {
        int o = (b * rows + y - first) * width;
        for (int ox = 0; ox < width; ox++) {
          out[o + ox] = bias + neighbourSum(c, b, x.height(), width, y - top, ox, y, mapHeight);
        }
      }
    }
    return out;
  }

  /** The contributions reaching pixel (y, x) of image b: from (y + ky - 1, x + kx - 1) through tap (ky, kx). */
  private static float neighbourSum(float[] c, int b, int bandRows, int width, int bandY, int x, int y, int mapHeight) {
    float sum = 0f;
    for (int ky = 0; ky < 3; ky++) {
      int sy = y + ky - 1;
      if (sy < 0 || sy >= mapHeight) {
        continue;
      }
      int row = (b * bandRows + bandY + ky - 1) * width;
      for (int kx = 0; kx < 3; kx++) {
        int sx = x + kx - 1;
        if (sx >= 0 && sx < width) {
          sum += c[(row + sx) * 9 + ky * 3 + kx];
        }
      }
    }
    return sum;
  }
}
