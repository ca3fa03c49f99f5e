package dev.depthprobe.glpn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A feature map as the encoder's token sequence: {@code values} is (batch * height * width, channels),
 * row-major over (batch, y, x), i.e. transformers' (batch_size, height*width, num_channels).
 */
record Tokens(INDArray values, int batch, int height, int width) {

  int channels() {
    return (int) values.size(1);
  }

  Tokens with(INDArray newValues) {
    return new Tokens(newValues, batch, height, width);
  }

  /** (B, C, H, W) -> (B, H*W, C), as a new c-ordered array. */
  static Tokens fromNchw(INDArray nchw) {
    int batch = (int) nchw.size(0);
    int channels = (int) nchw.size(1);
    int height = (int) nchw.size(2);
    int width = (int) nchw.size(3);
    // (B, C, H, W) -> (B, C, H*W) -> (B, H*W, C) -> (B*H*W, C)
    INDArray values = nchw.reshape('c', batch, channels, (long) height * width).permute(0, 2, 1).dup('c')
        .reshape('c', (long) batch * height * width, channels);
    return new Tokens(values, batch, height, width);
  }

  /** (B, H*W, C) -> (B, C, H, W), as a new c-ordered array. */
  INDArray toNchw() {
    // (B*H*W, C) -> (B, H, W, C) -> (B, C, H, W)
    return values.reshape('c', batch, height, width, channels()).permute(0, 3, 1, 2).dup('c');
  }
}
