package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torch nn.Conv2d (groups = 1, square kernel, zero padding) on NCHW input, by ND4J's conv2d: PyTorch's
 * (out, in, kh, kw) weights are its OIYX format, and the padding is explicit because ND4J's SAME mode
 * pads as TensorFlow does.
 */
final class Conv2d {
  private final INDArray weight; // (out, in, k, k)
  private final INDArray bias; // (out)
  private final Conv2DConfig conv;

  Conv2d(StateDict weights, String prefix, int in, int out, int kernel, int stride, int padding) {
    this.weight = weights.take(prefix + ".weight", out, in, kernel, kernel).toNd4j();
    this.bias = weights.take(prefix + ".bias", out).toNd4j();
    this.conv = Conv2DConfig.builder()
        .kH(kernel).kW(kernel)
        .sH(stride).sW(stride)
        .pH(padding).pW(padding)
        .dH(1).dW(1)
        .paddingMode(PaddingMode.VALID)
        .dataFormat("NCHW")
        .weightsFormat(WeightsFormat.OIYX)
        .build();
  }

  /** (B, in, H, W) -> a new (B, out, H', W'), H' = (H + 2 * padding - kernel) / stride + 1. */
  INDArray forward(INDArray x) {
    return Nd4j.cnn().conv2d(x, weight, bias, conv);
  }
}
