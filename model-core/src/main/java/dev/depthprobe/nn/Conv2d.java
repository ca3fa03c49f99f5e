package dev.depthprobe.nn;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torch nn.Conv2d (groups = 1, square kernel, zero padding) on tokens, i.e. channels last, by ND4J's
 * conv2d: oneDNN runs it 1.2-2.5x faster in NHWC than in NCHW. PyTorch's (out, in, kh, kw) weights are
 * permuted once to ND4J's OYXI format; the padding is explicit because ND4J's SAME mode pads as
 * TensorFlow does. With several threads it runs in bands of rows (see {@link RowBands}).
 */
public final class Conv2d {
  private final INDArray weight; // (out, k, k, in)
  private final INDArray bias; // (out)
  private final int kernel;
  private final int stride;
  private final int padding;
  private final Conv2DConfig conv;
  private final Conv2DConfig rowBand; // conv without vertical padding, for RowBands

  public Conv2d(StateDict weights, String prefix, int in, int out, int kernel, int stride, int padding) {
    // (out, in, kh, kw) -> (out, kh, kw, in)
    this.weight = weights.own(weights.array(prefix + ".weight", out, in, kernel, kernel).permute(0, 2, 3, 1).dup('c'));
    this.bias = weights.array(prefix + ".bias", out);
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.conv = config(kernel, stride, padding, padding);
    this.rowBand = config(kernel, stride, 0, padding);
  }

  /** (B*H*W, in) tokens -> new (B*H'*W', out) tokens, H' = (H + 2 * padding - kernel) / stride + 1. */
  public Tokens forward(Tokens x) {
    return RowBands.forward(x, (int) weight.size(0), kernel, stride, padding,
        (input, output) -> Nd4j.exec(new Conv2D(input, weight, bias, output, conv)),
        (input, output) -> Nd4j.exec(new Conv2D(input, weight, bias, output, rowBand)));
  }

  private static Conv2DConfig config(int kernel, int stride, int paddingH, int paddingW) {
    return Conv2DConfig.builder()
        .kH(kernel).kW(kernel)
        .sH(stride).sW(stride)
        .pH(paddingH).pW(paddingW)
        .dH(1).dW(1)
        .paddingMode(PaddingMode.VALID)
        .dataFormat("NHWC")
        .weightsFormat(WeightsFormat.OYXI)
        .build();
  }
}
