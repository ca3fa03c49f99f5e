package dev.depthprobe.glpn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * torch nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False) on NCHW planes, as PyTorch's
 * CPU kernel computes it: source index {@code 0.5 * (dst + 0.5) - 0.5} clamped below at 0, the second
 * tap clamped to the last row/column, rows interpolated first, then the two rows blended.
 */
final class BilinearUpsample2x {
  private BilinearUpsample2x() {}

  /** (B, C, H, W) -> a new (B, C, 2H, 2W). */
  static INDArray forward(INDArray nchw) {
    int batch = (int) nchw.size(0);
    int channels = (int) nchw.size(1);
    int height = (int) nchw.size(2);
    int width = (int) nchw.size(3);
    float[] out = forward(JavaFloats.copyOut(nchw), batch * channels, height, width);
    return JavaFloats.copyIn(out, batch, channels, 2L * height, 2L * width);
  }

  /** {@code planes} holds {@code count} planes of (height, width); returns them at (2 * height, 2 * width). */
  static float[] forward(float[] planes, int count, int height, int width) {
    return rows(planes, count, height, width, 0, 2 * height);
  }

  /**
   * Output rows {@code [rowStart, rowEnd)} of every upsampled plane: {@code count} planes of
   * (rowEnd - rowStart, 2 * width).
   */
  static float[] rows(float[] planes, int count, int height, int width, int rowStart, int rowEnd) {
    int outWidth = 2 * width;
    int outRows = rowEnd - rowStart;
    int[] x0 = new int[outWidth];
    int[] x1 = new int[outWidth];
    float[] wx0 = new float[outWidth];
    float[] wx1 = new float[outWidth];
    for (int ox = 0; ox < outWidth; ox++) {
      float src = sourceIndex(ox);
      x0[ox] = (int) src;
      x1[ox] = x0[ox] + (x0[ox] < width - 1 ? 1 : 0);
      wx1[ox] = src - x0[ox];
      wx0[ox] = 1f - wx1[ox];
    }
    float[] out = new float[count * outRows * outWidth];
    for (int p = 0; p < count; p++) {
      int plane = p * height * width;
      for (int r = 0; r < outRows; r++) {
        float src = sourceIndex(rowStart + r);
        int y0 = (int) src;
        int y1 = y0 + (y0 < height - 1 ? 1 : 0);
        float wy1 = src - y0;
        float wy0 = 1f - wy1;
        int row0 = plane + y0 * width;
        int row1 = plane + y1 * width;
        int o = (p * outRows + r) * outWidth;
        for (int ox = 0; ox < outWidth; ox++) {
          float top = planes[row0 + x0[ox]] * wx0[ox] + planes[row0 + x1[ox]] * wx1[ox];
          float bottom = planes[row1 + x0[ox]] * wx0[ox] + planes[row1 + x1[ox]] * wx1[ox];
          out[o + ox] = top * wy0 + bottom * wy1;
        }
      }
    }
    return out;
  }

  private static float sourceIndex(int dst) {
    float src = (float) (0.5 * (dst + 0.5) - 0.5);
    return Math.max(src, 0f);
  }
}
