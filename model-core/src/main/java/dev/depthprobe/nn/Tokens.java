package dev.depthprobe.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A feature map as the encoder's token sequence: {@code values} is (batch * height * width, channels),
 * row-major over (batch, y, x), i.e. transformers' (batch_size, height*width, num_channels). It is the
 * channels-last (NHWC) layout, which every block of the model works in: ND4J's oneDNN convolutions run
 * fastest on it, and tokens and feature maps convert without copies.
 */
public record Tokens(INDArray values, int batch, int height, int width) {

  public int channels() {
    return (int) values.size(1);
  }

  public Tokens with(INDArray newValues) {
    return new Tokens(newValues, batch, height, width);
  }

  /** The same values as a (B, H, W, C) array. */
  public INDArray nhwc() {
    // (B*H*W, C) -> (B, H, W, C)
    return values.reshape('c', batch, height, width, channels());
  }

  /** (B, H, W, C) -> tokens over the same values. */
  public static Tokens fromNhwc(INDArray nhwc) {
    int batch = (int) nhwc.size(0);
    int height = (int) nhwc.size(1);
    int width = (int) nhwc.size(2);
    // (B, H, W, C) -> (B*H*W, C)
    return new Tokens(nhwc.reshape('c', (long) batch * height * width, nhwc.size(3)), batch, height, width);
  }

  /** (B, C, H, W) -> (B, H*W, C), as a new c-ordered array. */
  public static Tokens fromNchw(INDArray nchw) {
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
  public INDArray toNchw() {
    // (B*H*W, C) -> (B, H, W, C) -> (B, C, H, W)
    return nhwc().permute(0, 3, 1, 2).dup('c');
  }
}
