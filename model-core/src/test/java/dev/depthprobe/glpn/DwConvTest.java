package dev.depthprobe.glpn;

import dev.depthprobe.nn.Gelu;
import dev.depthprobe.nn.Tokens;
import static dev.depthprobe.glpn.GlpnFixtures.assertClose;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.checkpoint.Tensor;
import dev.depthprobe.compute.Parallel;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

class DwConvTest {
  /** The ND4J op this Java loop replaced, with Mix-FFN's GELU on its output, on one thread and on two. */
  @Test
  void matchesGeluOfNd4jsDepthwiseConvolution() {
    assertMatchesNd4j(2, 7);
  }

  /** 15 rows in four ranges on one thread: the second holds the last two rows of image 0 and the first two of 1. */
  @Test
  void aRangeThatRunsIntoTheNextImageReadsThatImagesRows() {
    assertMatchesNd4j(3, 5);
  }

  private static void assertMatchesNd4j(int batch, int height) {
    int channels = 5;
    int width = 9;
    Nd4j.getRandom().setSeed(3);
    INDArray weight = Nd4j.randn(DataType.FLOAT, channels, 1, 3, 3); // PyTorch (C, 1, kh, kw)
    INDArray bias = Nd4j.randn(DataType.FLOAT, channels);
    INDArray nchw = Nd4j.randn(DataType.FLOAT, batch, channels, height, width);
    DwConv conv = new DwConv(new StateDict("test", Map.of(
        "dw.weight", tensor("dw.weight", weight), "dw.bias", tensor("dw.bias", bias))), "dw", channels);

    Tokens tokens = Tokens.fromNchw(nchw);
    Tokens out = conv.forwardGelu(tokens);

    // ND4J wants depthwise weights as (kh, kw, C, 1)
    INDArray nd4jWeight = weight.permute(2, 3, 0, 1).dup('c');
    Conv2DConfig same = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1)
        .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
    INDArray convolved = Tokens.fromNchw(Nd4j.cnn().depthWiseConv2d(nchw, nd4jWeight, bias, same)).values();
    float[] expected = convolved.data().asFloat();
    new Gelu().applyInPlace(expected, expected.length);
    assertClose(Nd4j.create(expected, convolved.shape(), 'c'), out.values(), 1e-5, "gelu(depthwise 3x3) vs ND4J");

    Tokens parallel = Parallel.withThreads(2, () -> conv.forwardGelu(tokens));
    assertClose(out.values(), parallel.values(), 0, "rows shared out on 2 threads vs 1");
  }

  private static Tensor tensor(String name, INDArray values) {
    return new Tensor(name, values.shape(), FloatBuffer.wrap(values.dup('c').data().asFloat()));
  }
}
