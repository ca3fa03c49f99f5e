package dev.depthprobe.nn;

import static dev.depthprobe.glpn.GlpnFixtures.assertClose;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.checkpoint.Tensor;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

class SingleChannelConv3x3Test {
  private static final int HEIGHT = 7;

  /** Band rows [top, bottom) of the map, output rows [first, last). */
  @ParameterizedTest
  @CsvSource({"0, 7, 0, 7", "0, 4, 0, 3", "2, 7, 3, 7", "1, 6, 2, 5"})
  void matchesNd4jsConvOnTheWholeMap(int top, int bottom, int first, int last) {
    int batch = 2;
    int width = 5;
    int channels = 6;
    Nd4j.getRandom().setSeed(4);
    INDArray weight = Nd4j.randn(DataType.FLOAT, 1, channels, 3, 3); // PyTorch (out, in, kh, kw)
    INDArray bias = Nd4j.randn(DataType.FLOAT, 1);
    INDArray nhwc = Nd4j.randn(DataType.FLOAT, batch, HEIGHT, width, channels);
    SingleChannelConv3x3 conv = new SingleChannelConv3x3(new StateDict("test", Map.of(
        "c.weight", tensor("c.weight", weight), "c.bias", tensor("c.bias", bias))), "c", channels);

    Tokens band = Tokens.fromNhwc(nhwc.get(all(), interval(top, bottom), all(), all()).dup('c'));
    float[] rows = conv.forwardRows(band, top, HEIGHT, first, last);

    // the ND4J op it replaces
    Conv2DConfig same = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1)
        .paddingMode(PaddingMode.VALID).dataFormat("NHWC").weightsFormat(WeightsFormat.OYXI).build();
    INDArray expected = Nd4j.cnn().conv2d(nhwc, weight.permute(0, 2, 3, 1).dup('c'), bias, same); // (B, H, W, 1)
    assertClose(expected.get(all(), interval(first, last), all(), point(0)),
        Nd4j.create(rows, new long[] {batch, last - first, width}, 'c'), 1e-5, "rows " + first + "-" + last);
  }

  private static Tensor tensor(String name, INDArray values) {
    return new Tensor(name, values.shape(), FloatBuffer.wrap(values.dup('c').data().asFloat()));
  }
}
