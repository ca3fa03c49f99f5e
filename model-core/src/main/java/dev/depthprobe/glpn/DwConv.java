package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DepthwiseConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * transformers GLPNDWConv: a depthwise 3x3 convolution (padding 1, with bias) on tokens, by ND4J's
 * depthwise conv in NHWC, which oneDNN runs at 15-35 GFLOP/s (its NCHW path manages 2-5); with several
 * threads in bands of rows (see {@link RowBands}).
 */
final class DwConv {
  private final INDArray weight; // (3, 3, C, 1)
  private final INDArray bias; // (C)
  private final Conv2DConfig conv;
  private final Conv2DConfig rowBand; // conv without vertical padding, for RowBands

  DwConv(StateDict weights, String prefix, int channels) {
    // (C, 1, kh, kw) -> (kh, kw, C, 1)
    this.weight = weights.take(prefix + ".weight", channels, 1, 3, 3).toNd4j().permute(2, 3, 0, 1).dup('c');
    this.bias = weights.take(prefix + ".bias", channels).toNd4j();
    this.conv = config(1);
    this.rowBand = config(0);
  }

  /** (B*H*W, C) tokens -> new (B*H*W, C) tokens. */
  Tokens forward(Tokens x) {
    return RowBands.forward(x, x.channels(), 3, 1, 1,
        (input, output) -> Nd4j.exec(new DepthwiseConv2D(input, weight, bias, output, conv)),
        (input, output) -> Nd4j.exec(new DepthwiseConv2D(input, weight, bias, output, rowBand)));
  }

  private static Conv2DConfig config(int paddingH) {
    return Conv2DConfig.builder()
        .kH(3).kW(3)
        .sH(1).sW(1)
        .pH(paddingH).pW(1)
        .dH(1).dW(1)
        .paddingMode(PaddingMode.VALID)
        .dataFormat("NHWC")
        .weightsFormat(WeightsFormat.YXIO)
        .build();
  }
}
